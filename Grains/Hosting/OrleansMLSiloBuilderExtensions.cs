using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Storage;
using OrleansML.History;
using OrleansML.Placement;
using OrleansML.Repository;
using OrleansML.Datasets.Import;
using OrleansML.Scoring;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;
using OrleansML.Training;
using StackExchange.Redis;

namespace OrleansML.Hosting;

public static class OrleansMLSiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo an OrleansML silo. The mode in configuration picks the providers, so the embedded API, the
    /// standalone Silo and the Aspire AppHost all run this same code.
    /// </summary>
    public static ISiloBuilder AddOrleansML(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = silo.AddOrleansMLRuntime(configuration);
        if (options.Mode == HostingMode.Embedded)
        {
            silo.UseLocalhostClustering(
                siloPort: options.SiloPort == 0 ? EndpointOptions.DEFAULT_SILO_PORT : options.SiloPort,
                gatewayPort: options.GatewayPort == 0 ? EndpointOptions.DEFAULT_GATEWAY_PORT : options.GatewayPort,
                serviceId: options.ServiceId,
                clusterId: options.ClusterId);
        }
        else if (!OrleansMLServiceCollectionExtensions.HasOrleansProviderConfiguration(configuration))
        {
            // OrleansML's own shape (OrleansML:Redis). Aspire's shape (Orleans:Clustering:ProviderType, ServiceKey,
            // ClusterId, Endpoints) is applied by Orleans itself from the "Orleans" section.
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(configuration, options));
        }

        if (options.Mode == HostingMode.Cluster && options.SiloPort > 0)
        {
            var advertised = IPAddress.Parse(options.AdvertisedIPAddress ?? "127.0.0.1");
            silo.ConfigureEndpoints(advertised, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: options.AdvertisedIPAddress is not null);
        }

        silo.UseOrleansMLTls(configuration);
        return silo;
    }

    /// <summary>
    /// Everything an OrleansML silo needs except clustering (which test clusters bring themselves): the torch
    /// devices, silo-pinned placement, trace propagation, and grain storage of the configured mode.
    /// </summary>
    public static OrleansMLOptions AddOrleansMLRuntime(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = silo.Services.AddOrleansMLCore(configuration);
        silo.Services.AddSingleton<TorchDevices>();
        silo.Services.Configure<ServingOptions>(configuration.GetSection(ServingOptions.SectionName));
        silo.Services.AddSingleton<ServingMetrics>();
        silo.Services.AddSingleton<ReplicaCache>();
        silo.Services.AddSingleton<ModelRoutingTable>();
        silo.Services.AddSingleton<LocalPredictor>();
        silo.Services.AddSingleton<VersionValidator>();
        silo.Services.AddSingleton<ClusterBroadcast>();
        silo.Services.TryAddSingleton(TimeProvider.System);
        silo.Services.AddTransient<ModelHistoryRecorder>();
        silo.Services.AddHostedService<IdleReplicaSweeper>();
        silo.Services.AddSingleton<ShadowMetrics>();
        silo.Services.AddSingleton<ShadowLedger>();
        silo.Services.AddSingleton<ShadowMirror>();
        silo.Services.AddHostedService(sp => sp.GetRequiredService<ShadowMirror>());
        silo.Services.Configure<TrainingOptions>(configuration.GetSection(TrainingOptions.SectionName));
        silo.Services.AddSingleton<TrainingMetrics>();
        silo.Services.Configure<ScoringOptions>(configuration.GetSection(ScoringOptions.SectionName));
        silo.Services.AddSingleton<ScoringMetrics>();
        silo.AddModelRepository(configuration);
        silo.Services.Configure<DatasetImportOptions>(configuration.GetSection(DatasetImportOptions.SectionName));
        silo.Services.AddSingleton<DatasetSources>();
        silo.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        silo.AddActivityPropagation();

        if (options.Mode == HostingMode.Embedded)
        {
            var grains = Path.Combine(options.ResolveDataDirectory(), "grains");
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Platform,
                (sp, _) => new FileGrainStorage(grains, sp.GetRequiredService<IGrainStorageSerializer>()));
        }
        else if (string.IsNullOrEmpty(configuration[$"Orleans:GrainStorage:{StorageNames.Platform}:ProviderType"]))
        {
            silo.AddRedisGrainStorage(StorageNames.Platform, o => o.ConfigurationOptions = RedisOptions(configuration, options));
        }

        // Reminders resume a training job whose coordinator's silo died. One embedded silo takes the whole process
        // with it, so memory is enough there (the job resumes from its checkpoint when next asked); a cluster
        // keeps them in Redis so that a surviving silo fires them.
        if (options.Mode == HostingMode.Embedded)
        {
            silo.UseInMemoryReminderService();
        }
        else if (string.IsNullOrEmpty(configuration["Orleans:Reminders:ProviderType"]))
        {
            silo.UseRedisReminderService(o => o.ConfigurationOptions = RedisOptions(configuration, options));
        }

        return options;
    }

    private static ConfigurationOptions RedisOptions(IConfiguration configuration, OrleansMLOptions options) =>
        ConfigurationOptions.Parse(OrleansMLServiceCollectionExtensions.RedisConnectionString(configuration, options));
}
