using Microsoft.Extensions.DependencyInjection;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Serving.Rollouts;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Serving.Rollouts;

/// <summary>Rollouts driven by the model grain on three silos under steady load, judged on every silo's counters.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RolloutClusterTests(ClusterFixture fixture)
{
    public static readonly ArchitectureSpec Small = new("mlp", 1024, [16], 10);

    /// <summary>About a thousand times the small MLP's multiply-adds per row.</summary>
    public static readonly ArchitectureSpec Heavy = new("mlp", 1024, [4096, 4096], 10);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>Version 1 (small, <c>stable</c>) and version 2 (<paramref name="candidate"/>), batching off so latency is the model's own.</summary>
    private async Task<IModelGrain> ModelAsync(string name, ArchitectureSpec candidate)
    {
        var model = fixture.Client.GetGrain<IModelGrain>(name);
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, Small, seed: 1));
        await model.SetLabelAsync("stable", 1);
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, candidate, seed: 2));
        await model.SetBatchingAsync(new BatchingSettings(Enabled: false));
        return model;
    }

    private static Task<RolloutInfo> EndedAsync(IModelGrain model) =>
        Poll.UntilAsync(model.GetRolloutAsync, r => !r.IsRunning, _ => false, Deadline, r => $"{r.State} at step {r.Step + 1}: {r.Reason}");

    /// <summary>Each silo's own routing copy: the version it sends an unaddressed request to.</summary>
    private async Task<int[]> UnaddressedRouteOfEverySiloAsync(string name)
    {
        var routes = new List<int>();
        foreach (var silo in fixture.Cluster.Silos)
        {
            var routing = await silo.ServiceProvider.GetRequiredService<ModelRoutingTable>().GetAsync(name, silo.ServiceProvider.GetRequiredService<IGrainFactory>());
            routes.Add(RouteSelector.Select(routing, null, null).Version);
        }

        return routes.ToArray();
    }

    [Fact]
    public async Task A_candidate_20x_slower_than_the_baseline_is_rolled_back_at_its_first_step_by_the_p99_guard()
    {
        var model = await ModelAsync("rollout-slow", Heavy);

        RolloutInfo ended;
        await using (new SteadyLoad(fixture.Client, "rollout-slow", 1024))
        {
            await model.StartRolloutAsync(new RolloutSpec { Candidate = 2, StepDuration = TimeSpan.FromSeconds(1) });
            ended = await EndedAsync(model);
        }

        Assert.True(ended.State == RolloutState.RolledBack, ended.Reason);
        Assert.Equal(RolloutGuard.P99Ratio, ended.Guard);
        Assert.Equal(0, ended.Step);
        Assert.Equal(0, ended.Percent);
        Assert.True(ended.Figures.P99Ratio > 2, $"p99 ratio {ended.Figures.P99Ratio}");
        Assert.True(ended.Figures.CandidateRequests >= 20 && ended.Figures.BaselineRequests >= 20, ended.Reason);
        Assert.Contains("P99Ratio guard", ended.Reason);
        Assert.Equal(RolloutDecision.RollBack, Assert.Single(ended.Completed).Decision);
        Assert.Equal(1, (await model.GetAsync())!.Labels["stable"]);
        Assert.All(await UnaddressedRouteOfEverySiloAsync("rollout-slow"), version => Assert.Equal(1, version));
    }

    [Fact]
    public async Task A_candidate_as_good_as_the_baseline_reaches_100_percent_and_becomes_stable()
    {
        var model = await ModelAsync("rollout-equal", Small);

        RolloutInfo ended;
        await using (new SteadyLoad(fixture.Client, "rollout-equal", 1024))
        {
            // Equal models: the ratio guard is widened past the noise of a shared 2-core machine's worst requests.
            await model.StartRolloutAsync(new RolloutSpec { Candidate = 2, Steps = [50, 100], StepDuration = TimeSpan.FromSeconds(1), MaxP99Ratio = 10 });
            ended = await EndedAsync(model);
        }

        Assert.True(ended.State == RolloutState.Succeeded, ended.Reason);
        Assert.Equal(100, ended.Percent);
        Assert.Equal([RolloutDecision.Advance, RolloutDecision.Promote], ended.Completed.Select(s => s.Decision));
        Assert.All(ended.Completed, step => Assert.True(step.Figures.CandidateRequests >= 20, $"step {step.Step}: {step.Figures}"));
        Assert.Equal(2, (await model.GetAsync())!.Labels["stable"]);
        Assert.All(await UnaddressedRouteOfEverySiloAsync("rollout-equal"), version => Assert.Equal(2, version));
    }

    [Fact]
    public async Task A_rollout_of_a_failed_version_is_refused_with_409_and_nothing_changes()
    {
        var model = await ModelAsync("rollout-failed", Small);
        await model.ReportLoadFailureAsync(2, "weights did not match");
        var before = (await model.GetAsync())!.Revision;

        var error = await Assert.ThrowsAsync<PlatformException>(() => model.StartRolloutAsync(new RolloutSpec { Candidate = 2 }));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("candidate version 2", error.Message);
        Assert.Contains("FAILED", error.Message);
        Assert.Null(await model.GetRolloutAsync());
        Assert.Equal(before, (await model.GetAsync())!.Revision);
    }
}
