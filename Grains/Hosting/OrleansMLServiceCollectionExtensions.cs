using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansML.Storage;
using StackExchange.Redis;

namespace OrleansML.Hosting;

public static class OrleansMLServiceCollectionExtensions
{
    /// <summary>
    /// Registers what both silos and API clients need: the options, and the artifact store of the configured mode
    /// (files under the data directory, or chunked Redis values).
    /// </summary>
    public static OrleansMLOptions AddOrleansMLCore(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OrleansMLOptions.SectionName);
        var options = section.Get<OrleansMLOptions>() ?? new OrleansMLOptions();
        services.Configure<OrleansMLOptions>(section);

        if (options.Mode == HostingMode.Embedded)
        {
            var artifacts = Path.Combine(options.ResolveDataDirectory(), "artifacts");
            services.TryAddSingleton<IArtifactStore>(_ => new FileArtifactStore(artifacts));
        }
        else
        {
            var connectionString = RedisConnectionString(configuration, options);
            services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(connectionString));
            services.TryAddSingleton<IArtifactStore>(sp => new RedisArtifactStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        }

        return options;
    }

    /// <summary>The Redis connection string: a ConnectionStrings entry named by <c>OrleansML:Redis</c>, or the value itself.</summary>
    public static string RedisConnectionString(IConfiguration configuration, OrleansMLOptions options) =>
        configuration.GetConnectionString(options.Redis) ?? options.Redis;
}
