using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansML.Hosting;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Scoring;

/// <summary>A three-silo cluster of its own, with a short partition timeout, for the test that kills a silo mid-job.</summary>
public sealed class ScoringFaultClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan PartitionTimeout = TimeSpan.FromSeconds(3);

    private readonly TempDirectory _data = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OrleansML:Mode"] = "Embedded",
                ["OrleansML:DataDirectory"] = _data.Path,
                ["OrleansML:Device"] = "cpu",
                ["OrleansML:Scoring:PartitionTimeout"] = PartitionTimeout.ToString(),
            })
            .Build();
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) => silo.AddOrleansMLRuntime(configuration));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.WaitForLivenessToStabilizeAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _data.Dispose();
    }
}
