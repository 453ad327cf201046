using OrleansML.History;
using OrleansML.Serving;

namespace OrleansML.Tests.History;

public sealed class ModelChangesTests
{
    [Fact]
    public void A_new_model_is_described_as_created_with_its_first_version()
    {
        Assert.Equal([ModelChanges.Created, "version 1 added"], ModelChanges.Describe(null, Model(versions: [Version(1)])));
    }

    [Fact]
    public void Versions_added_failed_and_deleted_each_get_a_line()
    {
        var before = Model(versions: [Version(1), Version(2)]);
        var after = Model(versions: [Version(2, VersionState.Failed, "sha-256 mismatch"), Version(3)]);

        Assert.Equal(["version 3 added", "version 2 FAILED: sha-256 mismatch", "version 1 deleted"], ModelChanges.Describe(before, after));
    }

    [Fact]
    public void A_label_move_says_from_which_version_to_which_and_new_and_removed_labels_are_named()
    {
        var before = Model(labels: new() { ["stable"] = 1, ["old"] = 1 });
        var after = Model(labels: new() { ["stable"] = 2, ["canary"] = 3 });

        Assert.Equal(["label canary → 3", "label stable: 1 → 2", "label old removed"], ModelChanges.Describe(before, after));
    }

    [Fact]
    public void A_shadow_set_and_stopped_is_described_with_its_version_and_share()
    {
        var shadowed = Model() with { Shadow = new ShadowSettings(2, 50, DateTimeOffset.UnixEpoch) };

        Assert.Equal(["shadow: version 2 at 50 %"], ModelChanges.Describe(Model(), shadowed));
        Assert.Equal(["shadow stopped"], ModelChanges.Describe(shadowed, Model()));
    }

    [Fact]
    public void Traffic_split_policy_and_batching_changes_are_described_with_their_new_values()
    {
        var before = Model();
        var after = Model(split: new() { ["stable"] = 90, ["canary"] = 10 }, keepLatest: 2, batching: new BatchingSettings(false, 32, 1.5));

        Assert.Equal(
            ["traffic split set: canary=10, stable=90", "version policy keepLatest 0 → 2", "batching disabled: maxBatchSize 32, maxQueueDelayMs 1.5"],
            ModelChanges.Describe(before, after));
        Assert.Equal(["traffic split cleared"], ModelChanges.Describe(after, after with { TrafficSplit = new Dictionary<string, int>() }));
    }

    [Fact]
    public void A_commit_that_changes_nothing_recognised_is_still_recorded_as_another_change()
    {
        var model = Model(versions: [Version(1)]);

        Assert.Equal([ModelChanges.OtherChange], ModelChanges.Describe(model, model with { Revision = model.Revision + 1 }));
    }

    [Fact]
    public void Only_a_model_with_a_version_unloading_is_transient()
    {
        Assert.True(ModelChanges.IsTransient(Model(versions: [Version(1), Version(2, VersionState.Unloading)])));
        Assert.False(ModelChanges.IsTransient(Model(versions: [Version(1), Version(2, VersionState.Failed, "x")])));
    }

    private static ModelInfo Model(
        ModelVersionInfo[]? versions = null, Dictionary<string, int>? labels = null, Dictionary<string, int>? split = null,
        int keepLatest = 0, BatchingSettings? batching = null) => new()
    {
        Name = "m",
        Versions = versions ?? [Version(1), Version(2), Version(3)],
        Labels = labels ?? [],
        TrafficSplit = split ?? [],
        KeepLatest = keepLatest,
        Batching = batching ?? new BatchingSettings(),
        Revision = 7,
    };

    private static ModelVersionInfo Version(int number, VersionState state = VersionState.Available, string? reason = null) => new()
    {
        Version = number,
        State = state,
        Format = ModelFormat.TorchScript,
        Signature = new ModelSignature([new TensorSpec("input", TensorDataType.FP32, [-1, 4])], []),
        Sha256 = "",
        SizeBytes = 1,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Source = "upload",
        FailureReason = reason,
        ArtifactKey = $"models/m/{number}",
    };
}
