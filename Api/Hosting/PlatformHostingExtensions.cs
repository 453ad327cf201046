using Orleans.Configuration;
using OrleansML.Hosting;
using StackExchange.Redis;

namespace OrleansML.Api.Hosting;

public static class PlatformHostingExtensions
{
    /// <summary>
    /// Embedded mode co-hosts a silo in this process; cluster mode makes the API an Orleans client that finds the
    /// silos' gateways through Redis. Either way the readiness probe checks the cluster and the artifact store.
    /// </summary>
    public static WebApplicationBuilder AddOrleansMLPlatform(this WebApplicationBuilder builder)
    {
        var options = builder.Services.AddOrleansMLCore(builder.Configuration);
        if (options.Mode == HostingMode.Embedded)
        {
            builder.UseOrleans(silo => silo.AddOrleansML(builder.Configuration));
        }
        else
        {
            builder.UseOrleansClient(client =>
            {
                client.AddActivityPropagation();
                client.UseOrleansMLTls(builder.Configuration);
                // New silos take traffic within seconds, not after the default one-minute gateway list refresh.
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
                if (!OrleansMLServiceCollectionExtensions.HasOrleansProviderConfiguration(builder.Configuration))
                {
                    // OrleansML's own shape; Aspire's shape is applied by Orleans from the "Orleans" section.
                    var redis = ConfigurationOptions.Parse(OrleansMLServiceCollectionExtensions.RedisConnectionString(builder.Configuration, options));
                    client.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = options.ClusterId;
                        o.ServiceId = options.ServiceId;
                    });
                    client.UseRedisClustering(o => o.ConfigurationOptions = redis);
                }
            });
        }

        builder.Services.AddHealthChecks().AddCheck<PlatformReadinessCheck>("platform", tags: [Extensions.ReadyTag]);
        return builder;
    }
}
