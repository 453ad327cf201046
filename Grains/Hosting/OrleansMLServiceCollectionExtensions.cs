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
            // One multiplexer, registered under the key Aspire's Orleans providers resolve (Orleans:Clustering:ServiceKey)
            // and as the default one that OrleansML's own Redis code uses.
            var key = RedisServiceKey(configuration, options);
            var connectionString = RedisConnectionString(configuration, options);
            services.TryAddKeyedSingleton<IConnectionMultiplexer>(key, (_, _) => ConnectionMultiplexer.Connect(connectionString));
            services.TryAddSingleton(sp => sp.GetRequiredKeyedService<IConnectionMultiplexer>(key));
            services.TryAddSingleton<IArtifactStore>(sp => new RedisArtifactStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        }

        return options;
    }

    /// <summary>
    /// The Redis connection string: the ConnectionStrings entry named by Aspire's service key or by
    /// <c>OrleansML:Redis</c>, or that setting's value itself.
    /// </summary>
    public static string RedisConnectionString(IConfiguration configuration, OrleansMLOptions options) =>
        configuration.GetConnectionString(RedisServiceKey(configuration, options)) ?? options.Redis;

    /// <summary>True when configuration carries Aspire.Hosting.Orleans' shape, which Orleans applies by itself.</summary>
    public static bool HasOrleansProviderConfiguration(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["Orleans:Clustering:ProviderType"]);

    private static string RedisServiceKey(IConfiguration configuration, OrleansMLOptions options) =>
        configuration["Orleans:Clustering:ServiceKey"] is { Length: > 0 } key ? key : options.Redis;
}
