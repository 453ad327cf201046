using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using OrleansML.Hosting;

namespace OrleansML.Tests.Infrastructure;

/// <summary>A real three-silo Orleans cluster in this process, running the OrleansML runtime on shared storage.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public const int SiloCount = 3;

    /// <summary>Silos this fixture starts.</summary>
    protected virtual short Silos => SiloCount;

    /// <summary>Configuration on top of the embedded defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    private readonly TempDirectory _data = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public string DataDirectory => _data.Path;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OrleansML:Mode"] = "Embedded",
                ["OrleansML:DataDirectory"] = _data.Path,
                ["OrleansML:Device"] = "cpu",
            })
            .AddInMemoryCollection(Settings)
            .Build();
        var builder = new InProcessTestClusterBuilder(Silos);
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

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "three-silo cluster";
}
