using OrleansML.Cluster;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Shadow;

/// <summary>Shadow traffic on a 3-silo cluster: every silo mirrors its share and the figures add up over the cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ShadowClusterTests(ClusterFixture fixture)
{
    private static readonly ArchitectureSpec Mlp = new("mlp", 4, [16], 3);

    [Fact]
    public async Task Half_the_requests_go_to_a_shadow_with_other_weights_which_disagrees_sometimes_and_never_answers()
    {
        const string name = "shadow-half";
        var grain = fixture.Client.GetGrain<IModelGrain>(name);
        await grain.AddVersionAsync(await NativeVersions.StageAsync(fixture, Mlp, seed: 1));
        await grain.AddVersionAsync(await NativeVersions.StageAsync(fixture, Mlp, seed: 2));
        await grain.SetLabelAsync("stable", 1);

        var model = await grain.SetShadowAsync(2, 50);
        Assert.Equal(2, model.Shadow!.Version);

        // Warmed before the setting took: every silo holds the shadow already.
        var agents = await AgentsAsync();
        foreach (var agent in agents)
        {
            Assert.Contains(await agent.GetLoadedModelsAsync(), loaded => loaded.Model == name && loaded.Version == 2);
        }

        const int requests = 200;
        var random = new Random(7);
        for (var i = 0; i < requests; i++)
        {
            var row = Enumerable.Range(0, 4).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var prediction = await fixture.Client.GetGrain<IPredictorGrain>($"{name}/{i % 16}").PredictAsync(TestTensors.Request(TestTensors.Fp32([1, 4], row)));
            Assert.Equal(1, prediction.Version);
        }

        var summed = await Poll.UntilAsync(
            async () => (await Task.WhenAll(agents.Select(a => a.GetShadowComparisonAsync(name, model.Shadow)))).Aggregate(new ShadowComparison(), (s, c) => s.Add(c)),
            s => s.Compared + s.Failed == s.Mirrored, _ => false, TimeSpan.FromSeconds(30), s => $"{s.Compared} of {s.Mirrored} compared");

        // 200 draws at p = 0.5: 60..140 is more than five standard deviations either side.
        Assert.InRange(summed.Mirrored, 60, 140);
        Assert.Equal(0, summed.Failed);
        Assert.Equal(0, summed.Dropped);
        Assert.Equal(summed.Mirrored, summed.RowsCompared);
        Assert.InRange(summed.ArgmaxAgreement!.Value, 0.0, 0.99);
        Assert.True(summed.MeanAbsDifference > 0 && summed.MaxAbsDifference >= summed.MeanAbsDifference);

        // The shadow ran on more than one silo: the figures really are a cluster's sum.
        var perSilo = await Task.WhenAll(agents.Select(a => a.GetShadowComparisonAsync(name, model.Shadow)));
        Assert.True(perSilo.Count(c => c.Mirrored > 0) > 1, string.Join(", ", perSilo.Select(c => c.Mirrored)));

        // Not counted as served by the shadow version: its statistics are its own answers (none).
        var statistics = await Task.WhenAll(agents.Select(a => a.GetStatisticsAsync(name)));
        Assert.DoesNotContain(statistics.SelectMany(s => s), s => s.Version == 2 && s.InferenceCount > 0);
    }

    private async Task<ISiloAgentGrain[]> AgentsAsync()
    {
        var hosts = await fixture.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.Select(s => fixture.Client.GetGrain<ISiloAgentGrain>(s.ToParsableString())).ToArray();
    }
}
