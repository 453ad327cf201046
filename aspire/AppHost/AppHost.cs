var builder = DistributedApplication.CreateBuilder(args);

// Membership, grain state and model artifacts live in Redis: a container where a container runtime answers,
// otherwise a local redis-server (development and CI machines here have no Docker).
var redis = builder.AddOrleansMLRedis("redis");

var orleans = builder.AddOrleans("orleansml")
    .WithClusterId("orleansml")
    .WithServiceId("orleansml")
    .WithClustering(redis)
    .WithGrainStorage("orleansml", redis);

// Replicas take no launch profile (its fixed port would collide) and get an Aspire-allocated HTTP endpoint each.
var silos = builder.AddProject<Projects.Silo>("silo", launchProfileName: null)
    .WithHttpEndpoint()
    .WithReplicas(3)
    .WithReference(orleans)
    .WaitFor(redis)
    .WithEnvironment("OrleansML__Mode", "Cluster")
    .WithEnvironment("OrleansML__Device", "cpu")
    .WithEnvironment("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1")
    .WithHttpHealthCheck("/health/ready");

builder.AddProject<Projects.Api>("api")
    .WithReference(orleans.AsClient())
    .WaitFor(silos)
    .WithEnvironment("OrleansML__Mode", "Cluster")
    .WithEnvironment("OrleansML__Device", "cpu")
    .WithHttpHealthCheck("/health/ready");

builder.Build().Run();
