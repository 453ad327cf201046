using OrleansML.Cluster;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansML.Tests.Serving;

/// <summary>
/// Resident memory is process-wide, so this runs in a collection of its own that xunit never runs beside another
/// (other tests load models in the same process), on a three-silo cluster of its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "memory measurement";
}

[Collection(MemoryMeasurementCollection.Name)]
public sealed class SwapMemoryTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static TensorData Row(int width) => TestTensors.Fp32([1, width], Enumerable.Repeat(0.5, width).ToArray());

    private async Task<IModelGrain> TwoVersionsAsync(string name, ArchitectureSpec architecture)
    {
        var model = fixture.Client.GetGrain<IModelGrain>(name);
        await model.CreateAsync(architecture, seed: 1);
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, architecture, seed: 2));
        return model;
    }

    [Fact]
    public async Task Fifty_swaps_release_the_old_versions_native_memory()
    {
        // 512-2048-2048-10 is about 21 MB of weights per version: 50 leaked swaps on 3 silos would add ~3 GB. What is
        // measured is the native heap in use (not resident memory, which also counts the free pages glibc keeps in
        // its per-thread arenas: once 1.1 GB on a loaded machine with nothing leaked).
        var architecture = new ArchitectureSpec("mlp", 512, [2048, 2048], 10);
        var model = await TwoVersionsAsync("swap-fifty", architecture);
        var predictor = fixture.Client.GetGrain<IPredictorGrain>("swap-fifty");
        await model.SetLabelAsync("stable", 1);
        for (var warmup = 0; warmup < 4; warmup++)
        {
            await model.SetLabelAsync("stable", warmup % 2 == 0 ? 2 : 1);
            await predictor.PredictAsync(TestTensors.Request(Row(512)));
        }

        var before = NativeHeap.InUseBytes();
        for (var swap = 0; swap < 50; swap++)
        {
            await model.SetLabelAsync("stable", swap % 2 == 0 ? 2 : 1);
            await predictor.PredictAsync(TestTensors.Request(Row(512)));
        }

        var grown = NativeHeap.InUseBytes() - before;
        output.WriteLine($"native heap in use: {before / (1024 * 1024)} MB before the swaps, {grown / (1024 * 1024)} MB more after them");

        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            var loaded = await fixture.Client.GetGrain<ISiloAgentGrain>(silo.SiloAddress.ToParsableString()).GetLoadedModelsAsync();
            Assert.Single(loaded, l => l.Model == "swap-fifty");
        }

        Assert.True(grown < 200L * 1024 * 1024, $"the native heap in use grew by {grown / (1024 * 1024)} MB over 50 swaps");
    }
}
