using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Serving;

[Collection(ClusterCollection.Name)]
public sealed class ModelIntegrityTests(ClusterFixture fixture)
{
    private static readonly ArchitectureSpec Small = new("mlp", 4, [8], 2);

    private static PredictionRequest Row(int? version = null, string? label = null) =>
        new([TestTensors.Fp32([1, 4], [1, 2, 3, 4])], version, label);

    [Fact]
    public async Task A_corrupted_artifact_makes_its_version_failed_with_a_reason_while_the_stable_version_keeps_serving()
    {
        var model = fixture.Client.GetGrain<IModelGrain>("corrupted");
        await model.CreateAsync(Small, seed: 1);
        await model.SetLabelAsync("stable", 1);
        var second = await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, Small, seed: 2));
        await NativeVersions.CorruptAsync(fixture, second);

        var error = await Assert.ThrowsAsync<PlatformException>(() => model.SetLabelAsync("canary", 2));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("SHA-256", error.Message);
        var failed = (await model.GetAsync())!.Versions.Single(v => v.Version == 2);
        Assert.Equal(VersionState.Failed, failed.State);
        Assert.Contains("SHA-256", failed.FailureReason);
        Assert.Equal(1, (await fixture.Client.GetGrain<IPredictorGrain>("corrupted").PredictAsync(Row())).Version);
        var refused = await Assert.ThrowsAsync<PlatformException>(() =>
            fixture.Client.GetGrain<IPredictorGrain>("corrupted").PredictAsync(Row(version: 2)));
        Assert.Equal(ErrorKind.Conflict, refused.Kind);
    }

    [Fact]
    public async Task A_traffic_split_sends_requests_to_both_labels_in_proportion()
    {
        var model = fixture.Client.GetGrain<IModelGrain>("split");
        await model.CreateAsync(Small, seed: 1);
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, Small, seed: 2));
        await model.SetLabelAsync("stable", 1);
        await model.SetLabelAsync("canary", 2);
        await model.SetTrafficSplitAsync(new() { ["stable"] = 75, ["canary"] = 25 });

        var predictor = fixture.Client.GetGrain<IPredictorGrain>("split");
        var versions = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => predictor.PredictAsync(Row())));
        var canary = versions.Count(p => p.Version == 2);

        // Binomial(400, 0.25): mean 100, sd 8.7; 40..160 is about 7 sd either way.
        Assert.InRange(canary, 40, 160);
        Assert.All(versions, p => Assert.Contains(p.Version, new[] { 1, 2 }));
        var label = await predictor.PredictAsync(Row(label: "canary"));
        Assert.Equal(2, label.Version);
    }

    [Fact]
    public async Task A_version_policy_keeps_the_latest_versions_and_the_labelled_ones()
    {
        var model = fixture.Client.GetGrain<IModelGrain>("policy");
        await model.CreateAsync(Small, seed: 1);
        await model.SetLabelAsync("stable", 1);
        for (var seed = 2; seed <= 4; seed++)
        {
            await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, Small, seed));
        }

        var info = await model.SetVersionPolicyAsync(keepLatest: 2);

        Assert.Equal(new[] { 1, 3, 4 }, info.Versions.Select(v => v.Version).Order());
        Assert.False(File.Exists(Path.Combine(fixture.DataDirectory, "artifacts", "models", "policy", "2", "artifact")));
        var next = await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, Small, seed: 5));
        Assert.Equal(5, next.Version);
        Assert.Equal(new[] { 1, 4, 5 }, (await model.GetAsync())!.Versions.Select(v => v.Version).Order());
    }
}
