var builder = DistributedApplication.CreateBuilder(args);

// The embedded platform under the Aspire dashboard (logs, traces, metrics). The Redis-backed multi-silo topology
// is issue #5's cluster mode.
builder.AddProject<Projects.Api>("api")
    .WithEnvironment("OrleansML__Device", "cpu")
    .WithHttpHealthCheck("/health/ready");

builder.Build().Run();
