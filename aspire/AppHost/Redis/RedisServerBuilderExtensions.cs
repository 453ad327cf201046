using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

public static class RedisServerBuilderExtensions
{
    /// <summary>
    /// Adds Redis for OrleansML: Aspire's Redis container when a container runtime answers, otherwise a local
    /// <c>redis-server</c>. <c>Redis:Runtime</c> (<c>auto</c>, <c>container</c>, <c>executable</c>) overrides the probe.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddOrleansMLRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var runtime = builder.Configuration["Redis:Runtime"] ?? "auto";
        var useContainer = runtime switch
        {
            "container" => true,
            "executable" => false,
            _ => ContainerRuntimeProbe.IsHealthy(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker"),
        };

        return useContainer ? builder.AddRedis(name) : builder.AddRedisServer(name);
    }

    /// <summary>
    /// Adds a local <c>redis-server</c> on loopback, without persistence (like a container without a data volume),
    /// on a port Aspire allocates, with a health check that pings it.
    /// </summary>
    public static IResourceBuilder<RedisServerResource> AddRedisServer(this IDistributedApplicationBuilder builder, string name)
    {
        var resource = new RedisServerResource(name, Path.GetTempPath());
        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, cancellationToken) =>
        {
            connectionString = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            name: healthCheckKey);

        return builder.AddResource(resource)
            .WithEndpoint(name: RedisServerResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--appendonly");
                context.Args.Add("no");
            })
            .WithOrleansProviderType("Redis")
            .WithHealthCheck(healthCheckKey);
    }
}
