using Microsoft.Extensions.DependencyInjection;
using OrleansML.Serving;
using OrleansML.Serving.Rollouts;
using OrleansML.Tests.Infrastructure;
using OrleansML.Tests.Training;

namespace OrleansML.Tests.Serving.Rollouts;

/// <summary>A rollout whose model grain's silo dies is resumed by its reminder on a surviving silo and finishes.</summary>
public sealed class RolloutFaultTests(CoordinatorFaultClusterFixture fixture) : IClassFixture<CoordinatorFaultClusterFixture>
{
    [Fact]
    public async Task Killing_the_model_grains_silo_mid_rollout_does_not_stop_it()
    {
        var (name, model) = await ModelOffTheFirstSiloAsync();
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture.Cluster, RolloutClusterTests.Small, seed: 1));
        await model.SetLabelAsync("stable", 1);
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture.Cluster, RolloutClusterTests.Small, seed: 2));
        await model.SetBatchingAsync(new BatchingSettings(Enabled: false));
        var survivor = fixture.Cluster.Silos[0].ServiceProvider;
        var routing = survivor.GetRequiredService<ModelRoutingTable>();
        var grains = survivor.GetRequiredService<IGrainFactory>();

        await using var load = new SteadyLoad(fixture.Client, name, 1024);
        await model.StartRolloutAsync(new RolloutSpec { Candidate = 2, Steps = [25, 50, 100], StepDuration = TimeSpan.FromSeconds(2), MaxP99Ratio = 10 });
        var second = await Poll.UntilAsync(model.GetRolloutAsync, r => r.Step >= 1, r => !r.IsRunning, TimeSpan.FromSeconds(60), r => $"{r.State} at step {r.Step + 1}: {r.Reason}");
        Assert.True(second.IsRunning && second.Step == 1, $"{second.State} at step {second.Step + 1} when the silo was to be killed: {second.Reason}");
        var host = await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(model);
        var victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await fixture.Cluster.KillSiloAsync(victim);

        // From here on the test reads only a surviving silo's routing copy, which the grain's commits push to:
        // nothing calls the model grain, so only its reminder can bring the rollout back.
        var servedAtKill = load.Served;
        RolloutInfo ended;
        try
        {
            ended = await Poll.UntilAsync(
                async () => (await routing.GetAsync(name, grains)).Rollout, r => !r.IsRunning, _ => false, TimeSpan.FromSeconds(150),
                r => $"{r.State} at step {r.Step + 1}: {r.Reason}");
        }
        catch (TimeoutException timeout)
        {
            var where = await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(model);
            var live = await model.GetRolloutAsync();
            throw new TimeoutException($"{timeout.Message}; grain at {where?.ToString() ?? "nowhere"}, live: {live?.Reason} {live?.Figures}; served {servedAtKill} then {load.Served}, failed {load.Failed}");
        }

        Assert.True(ended.State == RolloutState.Succeeded, ended.Reason);
        Assert.Equal(3, ended.Completed.Length);
        Assert.Equal(2, (await routing.GetAsync(name, grains)).Labels["stable"]);
        Assert.NotEqual(victim.SiloAddress, await fixture.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(model));
        Assert.True(load.Served > 0);
    }

    /// <summary>A model grain that activates off the first silo (the test cluster keeps that one).</summary>
    private async Task<(string, IModelGrain)> ModelOffTheFirstSiloAsync()
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var first = fixture.Cluster.Silos[0].SiloAddress;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var name = $"rollout-fault-{attempt}";
            var model = fixture.Client.GetGrain<IModelGrain>(name);
            Assert.Null(await model.GetAsync());
            if (!first.Equals(await management.GetActivationAddress(model)))
            {
                return (name, model);
            }
        }

        throw new InvalidOperationException("100 model grains in a row activated on the first silo.");
    }
}
