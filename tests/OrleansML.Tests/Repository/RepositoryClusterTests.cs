using OrleansML.Repository;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Repository;

/// <summary>Three silos watching one repository: one poller grain for the cluster, wherever it runs.</summary>
public sealed class RepositoryClusterTests(RepositoryClusterTests.Watching cluster) : IClassFixture<RepositoryClusterTests.Watching>
{
    [Fact]
    public async Task Three_silos_run_one_poller_and_a_version_it_imports_is_served_by_the_cluster()
    {
        var repository = cluster.Client.GetGrain<IModelRepositoryGrain>(0);
        var status = await Poll.UntilAsync(() => repository.GetStatusAsync()!,
            s => s.Models.Any(m => m.Name == "cluster-repo" && m.Versions.Any(v => v.State == RepositoryVersionState.Imported)),
            _ => false, TimeSpan.FromMinutes(1), s => string.Join(", ", s.Models.SelectMany(m => m.Versions).Select(v => $"{v.Path} {v.State} {v.Reason}")));

        Assert.Null(status.LastPollError);
        var statistics = await cluster.Client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        var pollers = statistics.Where(s => s.GrainType.Contains(nameof(ModelRepositoryGrain), StringComparison.Ordinal)).ToList();
        Assert.Equal(ClusterFixture.SiloCount, cluster.Cluster.Silos.Count);
        Assert.Equal(1, pollers.Sum(p => p.ActivationCount));
        var model = await cluster.Client.GetGrain<OrleansML.Serving.IModelGrain>("cluster-repo").GetAsync();
        Assert.Equal("repository:cluster-repo/1", Assert.Single(model!.Versions).Source);
    }

    /// <summary>The three-silo cluster with a file:// repository holding one model, polled every second.</summary>
    public sealed class Watching : ClusterFixture, IDisposable
    {
        private readonly TempDirectory _repository = new();

        public Watching() => new RepositoryFolder(_repository.Path).AddVersion("cluster-repo", 1, "model.pt", File.ReadAllBytes(Fixtures.L1000));

        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [
            new("OrleansML:Repository:Url", new Uri(_repository.Path + "/").AbsoluteUri),
            new("OrleansML:Repository:PollInterval", "00:00:01"),
        ];

        public void Dispose() => _repository.Dispose();
    }
}
