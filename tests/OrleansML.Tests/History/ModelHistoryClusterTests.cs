using OrleansML.Errors;
using OrleansML.History;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.History;

/// <summary>The history on a three-silo cluster, called as another .NET service would, through the Orleans client.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ModelHistoryClusterTests(ClusterFixture fixture)
{
    private static readonly ArchitectureSpec Small = new("mlp", 4, [8], 2);

    [Fact]
    public async Task A_change_made_through_the_orleans_client_is_recorded_under_the_actor_in_its_request_context()
    {
        var model = fixture.Client.GetGrain<IModelGrain>("history-client");
        await model.CreateAsync(Small, seed: 1);
        try
        {
            ChangeActor.Set("ops-service");
            await model.SetLabelAsync("stable", 1);
        }
        finally
        {
            RequestContext.Remove(ChangeActor.Key);
        }

        var page = await fixture.Client.GetGrain<IModelHistoryGrain>("history-client").ListAsync(1, 10);

        Assert.Equal(
            [("ops-service", "label stable → 1"), (ChangeActor.System, "model created; version 1 added")],
            page.Entries.Select(e => (e.Actor, string.Join("; ", e.Changes))));
        Assert.Equal(1, page.Entries[0].After.Labels["stable"]);
        Assert.Empty(page.Entries[0].Before!.Labels);
    }

    [Fact]
    public async Task A_version_that_fails_to_load_for_a_prediction_is_recorded_as_failed_by_the_system_not_by_the_caller()
    {
        var model = fixture.Client.GetGrain<IModelGrain>("history-unloadable");
        await model.CreateAsync(Small, seed: 1);
        await model.SetLabelAsync("stable", 1);
        // The default stays on v1, so v2 is not warmed anywhere: the prediction below is the first to load it.
        var second = await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, Small, seed: 2));
        await NativeVersions.CorruptAsync(fixture, second);

        try
        {
            ChangeActor.Set("predict-caller");
            var refused = await Assert.ThrowsAsync<PlatformException>(() => fixture.Client.GetGrain<IPredictorGrain>("history-unloadable")
                .PredictAsync(new PredictionRequest([TestTensors.Fp32([1, 4], [1, 2, 3, 4])], 2, null)));
            Assert.Equal(ErrorKind.Conflict, refused.Kind);
        }
        finally
        {
            RequestContext.Remove(ChangeActor.Key);
        }

        var newest = (await fixture.Client.GetGrain<IModelHistoryGrain>("history-unloadable").ListAsync(1, 1)).Entries.Single();
        Assert.Equal(ChangeActor.System, newest.Actor);
        Assert.StartsWith("version 2 FAILED: ", Assert.Single(newest.Changes));
        Assert.Contains("SHA-256", newest.Changes[0]);
    }
}
