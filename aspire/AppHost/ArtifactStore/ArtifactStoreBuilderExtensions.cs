using Aspire.Hosting.ApplicationModel;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Where the local cluster keeps model artifacts and datasets, chosen by the AppHost's <c>ArtifactStore:Kind</c>:
/// <c>redis</c> (default: the cluster's Redis, as before), <c>azurite</c> (a local Azurite blob service, container
/// <see cref="Container"/>, created when it starts) or <c>s3</c> (an S3-compatible endpoint given by the parameters
/// <c>s3-service-url</c>, <c>s3-bucket</c>, <c>s3-access-key</c>, <c>s3-secret-key</c>; the bucket must exist).
/// Grain state and membership stay in Redis either way.
/// </summary>
public static class ArtifactStoreBuilderExtensions
{
    public const string Container = "orleansml";

    private const string Section = "OrleansML__Storage__Artifacts__";

    public static ArtifactStoreChoice AddOrleansMLArtifactStore(this IDistributedApplicationBuilder builder, string name)
    {
        var kind = builder.Configuration["ArtifactStore:Kind"] ?? "redis";
        return kind switch
        {
            "redis" => new ArtifactStoreChoice(null, _ => { }),
            "azurite" => Azurite(builder, name),
            "s3" => S3(builder),
            _ => throw new InvalidOperationException($"ArtifactStore:Kind '{kind}' is not one of redis, azurite, s3."),
        };
    }

    /// <summary>Points a silo or the Api at the chosen store (and makes it wait for a local one).</summary>
    public static IResourceBuilder<ProjectResource> WithArtifactStore(this IResourceBuilder<ProjectResource> project, ArtifactStoreChoice store)
    {
        if (store.Resource is { } resource)
        {
            project.WaitFor(resource);
        }

        store.Apply(project);
        return project;
    }

    private static ArtifactStoreChoice Azurite(IDistributedApplicationBuilder builder, string name)
    {
        var folder = Directory.CreateTempSubdirectory("orleansml-azurite-").FullName;
        var resource = new AzuriteResource(name, folder, FreePort());

        // Healthy once the container exists: the silos and the Api wait for it, and the store requires it.
        var healthCheckKey = $"{name}_container";
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheckKey, async cancellationToken =>
        {
            try
            {
                await new BlobContainerClient(resource.ConnectionString, Container).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception)
            {
                return HealthCheckResult.Unhealthy($"Azurite does not answer yet: {exception.Message}");
            }
        });

        var azurite = builder.AddResource(resource)
            .WithEndpoint(name: AzuriteResource.BlobEndpointName, scheme: "http", port: resource.Port, targetPort: resource.Port, isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("--blobHost");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--blobPort");
                context.Args.Add(resource.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                context.Args.Add("--location");
                context.Args.Add(folder);
                context.Args.Add("--skipApiVersionCheck");
                context.Args.Add("--loose");
                context.Args.Add("--silent");
            })
            .WithHealthCheck(healthCheckKey);

        return new ArtifactStoreChoice(azurite, project => project
            .WithEnvironment(Section + "Kind", "AzureBlob")
            .WithEnvironment(Section + "AzureBlob__ConnectionString", azurite)
            .WithEnvironment(Section + "AzureBlob__Container", Container));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static ArtifactStoreChoice S3(IDistributedApplicationBuilder builder)
    {
        var serviceUrl = builder.AddParameter("s3-service-url");
        var bucket = builder.AddParameter("s3-bucket");
        var region = builder.AddParameter("s3-region", "us-east-1");
        var accessKey = builder.AddParameter("s3-access-key", secret: true);
        var secretKey = builder.AddParameter("s3-secret-key", secret: true);
        return new ArtifactStoreChoice(null, project => project
            .WithEnvironment(Section + "Kind", "S3")
            .WithEnvironment(Section + "S3__ServiceUrl", serviceUrl)
            .WithEnvironment(Section + "S3__Bucket", bucket)
            .WithEnvironment(Section + "S3__Region", region)
            .WithEnvironment(Section + "S3__ForcePathStyle", "true")
            .WithEnvironment(Section + "S3__AccessKey", accessKey)
            .WithEnvironment(Section + "S3__SecretKey", secretKey));
    }
}

/// <summary>The store the AppHost chose: a local resource to wait for (Azurite), and the settings each project gets.</summary>
public sealed record ArtifactStoreChoice(IResourceBuilder<IResource>? Resource, Action<IResourceBuilder<ProjectResource>> Apply);
