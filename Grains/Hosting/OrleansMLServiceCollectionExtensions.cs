using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansML.Storage;
using StackExchange.Redis;

namespace OrleansML.Hosting;

public static class OrleansMLServiceCollectionExtensions
{
    /// <summary>
    /// Registers what both silos and API clients need: the options, and the artifact and dataset stores that
    /// <c>OrleansML:Storage</c> chooses (by default the mode's: files under the data directory, or chunked Redis values,
    /// with datasets in the artifact store).
    /// </summary>
    public static OrleansMLOptions AddOrleansMLCore(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(OrleansMLOptions.SectionName);
        var options = section.Get<OrleansMLOptions>() ?? new OrleansMLOptions();
        services.Configure<OrleansMLOptions>(section);

        var storage = options.Storage;
        var artifactsKind = storage.Artifacts.Kind ?? (options.Mode == HostingMode.Embedded ? ArtifactStoreKind.File : ArtifactStoreKind.Redis);
        ArtifactStores.Validate(artifactsKind, storage.Artifacts, $"{OrleansMLOptions.SectionName}:Storage:Artifacts");
        if (storage.Datasets.Kind is { } kind)
        {
            ArtifactStores.Validate(kind, storage.Datasets, $"{OrleansMLOptions.SectionName}:Storage:Datasets");
        }

        if (options.Mode == HostingMode.Cluster || artifactsKind == ArtifactStoreKind.Redis || storage.Datasets.Kind == ArtifactStoreKind.Redis)
        {
            // One multiplexer, registered under the key Aspire's Orleans providers resolve (Orleans:Clustering:ServiceKey)
            // and as the default one that OrleansML's own Redis code uses.
            var key = RedisServiceKey(configuration, options);
            var connectionString = RedisConnectionString(configuration, options);
            services.TryAddKeyedSingleton<IConnectionMultiplexer>(key, (_, _) => ConnectionMultiplexer.Connect(connectionString));
            services.TryAddSingleton(sp => sp.GetRequiredKeyedService<IConnectionMultiplexer>(key));
        }

        var folder = Path.Combine(options.ResolveDataDirectory(), "artifacts");
        services.TryAddSingleton(sp => ArtifactStores.Create(artifactsKind, storage.Artifacts, folder, sp));
        services.TryAddSingleton<IDatasetStore>(sp => new DatasetStore(storage.Datasets.Kind is { } datasets
            ? ArtifactStores.Create(datasets, storage.Datasets, folder, sp)
            : sp.GetRequiredService<IArtifactStore>()));
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
