using Microsoft.Extensions.DependencyInjection;
using OrleansML.Cluster;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansML.Tests.Onnx;

/// <summary>Swapping between two ONNX versions releases each old session's native memory (as the TorchScript swap test checks).</summary>
[Collection(Serving.MemoryMeasurementCollection.Name)]
public sealed class OnnxSwapMemoryTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private async Task AddAsync(IModelGrain model, byte[] artifact)
    {
        var staging = $"staging/{Guid.NewGuid():N}";
        await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>().WriteAsync(staging, new MemoryStream(artifact));
        await model.AddVersionAsync(new NewModelVersion { StagingKey = staging });
    }

    [Fact]
    public async Task Fifty_swaps_of_an_onnx_model_leave_the_native_heap_flat()
    {
        // 1024 x 4096 FP32 weights are 16 MB a session: 50 leaked swaps on 3 silos would add well over 2 GB.
        var model = fixture.Client.GetGrain<IModelGrain>("onnx-swap-fifty");
        await AddAsync(model, OnnxModels.Dense(1024, 4096, seed: 1));
        await AddAsync(model, OnnxModels.Dense(1024, 4096, seed: 2));
        var predictor = fixture.Client.GetGrain<IPredictorGrain>("onnx-swap-fifty");
        var row = TensorData.Of<float>("x", [1, 1024], Enumerable.Repeat(0.5f, 1024).ToArray());
        for (var warmup = 0; warmup < 4; warmup++)
        {
            await model.SetLabelAsync("stable", warmup % 2 == 0 ? 2 : 1);
            await predictor.PredictAsync(TestTensors.Request(row));
        }

        var before = NativeHeap.InUseBytes();
        for (var swap = 0; swap < 50; swap++)
        {
            await model.SetLabelAsync("stable", swap % 2 == 0 ? 2 : 1);
            await predictor.PredictAsync(TestTensors.Request(row));
        }

        var grown = NativeHeap.InUseBytes() - before;
        output.WriteLine($"native heap in use: {before / (1024 * 1024)} MB before the swaps, {grown / (1024 * 1024)} MB more after them");

        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            var loaded = await fixture.Client.GetGrain<ISiloAgentGrain>(silo.SiloAddress.ToParsableString()).GetLoadedModelsAsync();
            var replica = Assert.Single(loaded, l => l.Model == "onnx-swap-fifty");
            Assert.True(replica.Bytes >= 16L * 1024 * 1024, $"the memory budget counts {replica.Bytes} bytes for a session holding 16 MB of weights");
        }

        Assert.True(grown < 200L * 1024 * 1024, $"the native heap in use grew by {grown / (1024 * 1024)} MB over 50 swaps");
    }
}
