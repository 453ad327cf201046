using System.Security.Cryptography;
using System.Text;

var builder = DistributedApplication.CreateBuilder(args);

// A 32 MB gen0 budget per GC heap for the silos and the Api (docs/benchmarks-serving.md, "The gen0 budget"): the
// GC reads it from the environment only.
const string Gen0Budget = "0x2000000";

// Membership, grain state and model artifacts live in Redis: a container where a container runtime answers,
// otherwise a local redis-server (development and CI machines here have no Docker).
var redis = builder.AddOrleansMLRedis("redis");

var orleans = builder.AddOrleans("orleansml")
    .WithClusterId("orleansml")
    .WithServiceId("orleansml")
    .WithClustering(redis)
    .WithGrainStorage("orleansml", redis);

// Model artifacts and datasets: in Redis by default, or in an object store (ArtifactStore:Kind = azurite or s3).
var artifacts = builder.AddOrleansMLArtifactStore("artifacts");

// Replicas take no launch profile (its fixed port would collide) and get an Aspire-allocated HTTP endpoint each.
var silos = builder.AddProject<Projects.Silo>("silo", launchProfileName: null)
    .WithHttpEndpoint()
    .WithReplicas(3)
    .WithReference(orleans)
    .WaitFor(redis)
    .WithEnvironment("OrleansML__Mode", "Cluster")
    .WithEnvironment("OrleansML__Device", "cpu")
    .WithEnvironment("DOTNET_GCgen0size", Gen0Budget)
    .WithEnvironment("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1")
    .WithArtifactStore(artifacts)
    .WithHttpHealthCheck("/health/ready");

// The Api runs in cluster mode, so it requires credentials: an admin API key generated once per machine and kept in
// this AppHost's user secrets (the dashboard shows it under Parameters). The Api receives only its SHA-256.
var adminKey = builder.AddParameter("api-admin-key", new GenerateParameterDefault { MinLength = 40, Special = false }, secret: true, persist: true);

builder.AddProject<Projects.Api>("api")
    .WithReference(orleans.AsClient())
    .WaitFor(silos)
    .WithArtifactStore(artifacts)
    .WithEnvironment("OrleansML__Mode", "Cluster")
    .WithEnvironment("OrleansML__Device", "cpu")
    .WithEnvironment("DOTNET_GCgen0size", Gen0Budget)
    .WithEnvironment(async context =>
    {
        var key = await adminKey.Resource.GetValueAsync(context.CancellationToken)
            ?? throw new InvalidOperationException("the api-admin-key parameter has no value.");
        context.EnvironmentVariables["OrleansML__Auth__ApiKeys__0__Name"] = "aspire-admin";
        context.EnvironmentVariables["OrleansML__Auth__ApiKeys__0__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        context.EnvironmentVariables["OrleansML__Auth__ApiKeys__0__Scopes__0"] = "admin";
    })
    .WithHttpHealthCheck("/health/ready");

builder.Build().Run();
