using OrleansML.Cluster;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class SiloAgentTests(ClusterFixture fixture)
{
    [Fact]
    public async Task An_agent_activates_on_every_silo_it_is_addressed_to()
    {
        var silos = fixture.Cluster.GetActiveSilos().Select(s => s.SiloAddress.ToParsableString()).ToHashSet();
        Assert.Equal(ClusterFixture.SiloCount, silos.Count);

        var answers = await Task.WhenAll(silos.Select(address =>
            fixture.Client.GetGrain<ISiloAgentGrain>(address).GetSiloAsync()));

        Assert.Equal(silos, answers.Select(a => a.Address).ToHashSet());
        Assert.All(answers, a => Assert.Equal("cpu", a.Device));
    }

    [Fact]
    public async Task An_agent_for_a_silo_that_is_not_in_the_cluster_is_refused()
    {
        var absent = fixture.Cluster.GetActiveSilos().First().SiloAddress.ToParsableString().Replace("@", "@1");

        await Assert.ThrowsAnyAsync<Exception>(() => fixture.Client.GetGrain<ISiloAgentGrain>(absent).GetSiloAsync());
    }
}
