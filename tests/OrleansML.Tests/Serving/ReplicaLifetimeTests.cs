using System.Diagnostics;
using OrleansML.Cluster;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Serving;

/// <summary>One silo with a 1 MB model budget and a 2 s idle time, to watch replicas leave.</summary>
public sealed class TightServingClusterFixture : ClusterFixture
{
    protected override short Silos => 1;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("OrleansML:Serving:MemoryBudgetMB", "1"),
        new("OrleansML:Serving:IdleUnloadAfter", "00:00:02"),
        new("OrleansML:Serving:SweepInterval", "00:00:00.200"),
    ];
}

public sealed class ReplicaLifetimeTests(TightServingClusterFixture fixture) : IClassFixture<TightServingClusterFixture>
{
    // 256-1024-10: about 1.1 MB of weights, so two of them exceed the 1 MB budget.
    private static readonly ArchitectureSpec Wide = new("mlp", 256, [1024], 10);

    private static TensorData Row() => TestTensors.Fp32([1, 256], new double[256]);

    private ISiloAgentGrain Agent => fixture.Client.GetGrain<ISiloAgentGrain>(fixture.Cluster.Silos[0].SiloAddress.ToParsableString());

    [Fact]
    public async Task Loading_past_the_memory_budget_unloads_the_least_recently_used_model()
    {
        await fixture.Client.GetGrain<IModelGrain>("budget-a").CreateAsync(Wide, seed: 1);
        await fixture.Client.GetGrain<IPredictorGrain>("budget-a").PredictAsync(TestTensors.Request(Row()));
        Assert.Contains(await Agent.GetLoadedModelsAsync(), m => m.Model == "budget-a");

        await fixture.Client.GetGrain<IModelGrain>("budget-b").CreateAsync(Wide, seed: 2);
        await fixture.Client.GetGrain<IPredictorGrain>("budget-b").PredictAsync(TestTensors.Request(Row()));

        var loaded = await Agent.GetLoadedModelsAsync();
        Assert.Contains(loaded, m => m.Model == "budget-b");
        Assert.DoesNotContain(loaded, m => m.Model == "budget-a");

        var again = await fixture.Client.GetGrain<IPredictorGrain>("budget-a").PredictAsync(TestTensors.Request(Row()));
        Assert.Equal(1, again.Version);
    }

    [Fact]
    public async Task An_idle_model_is_unloaded_and_loads_again_on_the_next_request()
    {
        await fixture.Client.GetGrain<IModelGrain>("idle").CreateAsync(new ArchitectureSpec("mlp", 4, [8], 2), seed: 1);
        await fixture.Client.GetGrain<IPredictorGrain>("idle").PredictAsync(
            TestTensors.Request(TestTensors.Fp32([1, 4], new double[4])));
        Assert.Contains(await Agent.GetLoadedModelsAsync(), m => m.Model == "idle");

        var deadline = Stopwatch.StartNew();
        while ((await Agent.GetLoadedModelsAsync()).Any(m => m.Model == "idle"))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the idle model was not unloaded within 30 s");
            await Task.Delay(100);
        }

        var prediction = await fixture.Client.GetGrain<IPredictorGrain>("idle").PredictAsync(
            TestTensors.Request(TestTensors.Fp32([1, 4], new double[4])));
        Assert.Equal(1, prediction.Version);
    }
}
