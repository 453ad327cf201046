using Microsoft.Extensions.DependencyInjection;
using OrleansML.Cluster;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Serving;

[Collection(ClusterCollection.Name)]
public sealed class ModelServingClusterTests(ClusterFixture fixture)
{
    private IArtifactStore Artifacts => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();

    private async Task<ModelVersionInfo> UploadAsync(string model, string path)
    {
        var staging = $"staging/{Guid.NewGuid():N}";
        await Artifacts.WriteAsync(staging, File.OpenRead(path));
        return await fixture.Client.GetGrain<IModelGrain>(model).AddVersionAsync(new NewModelVersion { StagingKey = staging });
    }

    private static TensorData Ones(int rows, int width) =>
        TestTensors.Fp32([rows, width], Enumerable.Repeat(1.0, rows * width).ToArray());

    [Fact]
    public async Task A_torchscript_model_uploaded_once_is_served_from_every_silo_with_pytorch_outputs()
    {
        var version = await UploadAsync("l1000-every-silo", Fixtures.L1000);
        Assert.Equal(new long[] { -1, 1000 }, version.Signature.Inputs[0].Shape);

        var silos = new HashSet<string>();
        foreach (var silo in fixture.Cluster.Silos)
        {
            var grains = silo.ServiceProvider.GetRequiredService<IGrainFactory>();
            var prediction = await grains.GetGrain<IPredictorGrain>("l1000-every-silo").PredictAsync(TestTensors.Request(Ones(2, 1000)));
            Assert.Equal(1, prediction.Version);
            Assert.Equal(new long[] { 2, 10 }, prediction.Outputs[0].Shape);
            Fixtures.AssertClose(Fixtures.L1000OnesOutput, prediction.Outputs[0].ToDoubles()[..10]);
            Fixtures.AssertClose(Fixtures.L1000OnesOutput, prediction.Outputs[0].ToDoubles()[10..]);
            silos.Add(prediction.Silo);
        }

        Assert.Equal(ClusterFixture.SiloCount, silos.Count);
    }

    [Fact]
    public async Task A_wrong_input_width_is_refused_naming_expected_and_received_shapes()
    {
        await UploadAsync("l1000-shape", Fixtures.L1000);

        var error = await Assert.ThrowsAsync<PlatformException>(() =>
            fixture.Client.GetGrain<IPredictorGrain>("l1000-shape").PredictAsync(TestTensors.Request(Ones(1, 100))));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Contains("[1, 100]", error.Message);
        Assert.Contains("[-1, 1000]", error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_model_is_refused_and_nothing_is_stored()
    {
        var staging = $"staging/{Guid.NewGuid():N}";
        await Artifacts.WriteAsync(staging, new MemoryStream("not a model"u8.ToArray()));

        var error = await Assert.ThrowsAsync<PlatformException>(() =>
            fixture.Client.GetGrain<IModelGrain>("junk").AddVersionAsync(new NewModelVersion { StagingKey = staging }));

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Assert.Null(await fixture.Client.GetGrain<IModelGrain>("junk").GetAsync());
        Assert.False(await Artifacts.ExistsAsync(staging));
    }

    [Fact]
    public async Task Moving_a_label_warms_the_version_everywhere_and_releases_the_old_one()
    {
        var model = fixture.Client.GetGrain<IModelGrain>("swap");
        await model.CreateAsync(new ArchitectureSpec("mlp", 8, [16], 3), seed: 1);
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, new ArchitectureSpec("mlp", 8, [16], 3), seed: 2));
        await model.SetLabelAsync("stable", 1);

        await model.SetLabelAsync("stable", 2);

        foreach (var silo in fixture.Cluster.GetActiveSilos())
        {
            var loaded = await fixture.Client.GetGrain<ISiloAgentGrain>(silo.SiloAddress.ToParsableString()).GetLoadedModelsAsync();
            Assert.Contains(loaded, l => l.Model == "swap" && l.Version == 2);
            Assert.DoesNotContain(loaded, l => l.Model == "swap" && l.Version == 1);
        }

        var prediction = await fixture.Client.GetGrain<IPredictorGrain>("swap").PredictAsync(TestTensors.Request(Ones(1, 8)));
        Assert.Equal(2, prediction.Version);
    }

    [Fact]
    public async Task A_labelled_version_cannot_be_deleted()
    {
        var model = fixture.Client.GetGrain<IModelGrain>("keep-labelled");
        await model.CreateAsync(new ArchitectureSpec("mlp", 4, [], 2), seed: 1);
        await model.SetLabelAsync("stable", 1);

        var error = await Assert.ThrowsAsync<PlatformException>(() => model.DeleteVersionAsync(1));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Single((await model.GetAsync())!.Versions);
    }
}
