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
        else if (OrleansMLServiceCollectionExtensions.HasOrleansProviderConfiguration(builder.Configuration))
        {
            // Aspire's shape: Orleans configures the client's clustering from the "Orleans" section.
            builder.UseOrleansClient(client => client.AddActivityPropagation());
        }
        else
        {
            var redis = ConfigurationOptions.Parse(OrleansMLServiceCollectionExtensions.RedisConnectionString(builder.Configuration, options));
            builder.UseOrleansClient(client => client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ServiceId;
                })
                .UseRedisClustering(o => o.ConfigurationOptions = redis)
                .AddActivityPropagation());
        }

        builder.Services.AddHealthChecks().AddCheck<PlatformReadinessCheck>("platform", tags: [Extensions.ReadyTag]);
        return builder;
    }
}
