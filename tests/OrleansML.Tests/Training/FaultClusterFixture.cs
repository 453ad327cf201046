using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansML.Hosting;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Training;

/// <summary>A three-silo cluster of its own, with a short worker timeout, for tests that kill silos.</summary>
public sealed class FaultClusterFixture : IAsyncLifetime
{
    public static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(2);

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
                ["OrleansML:Training:WorkerTimeout"] = WorkerTimeout.ToString(),
                ["OrleansML:Training:CheckpointEveryRounds"] = "10",
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
