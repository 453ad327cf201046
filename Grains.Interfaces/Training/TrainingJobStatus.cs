namespace OrleansML.Training;

/// <summary>Where a training job is in its life.</summary>
[GenerateSerializer, Alias("OrleansML.Training.TrainingState")]
public enum TrainingState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>A job's progress, history, workers and outcome.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.TrainingJobStatus")]
public sealed record TrainingJobStatus
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required TrainingState State { get; init; }

    [Id(2)] public required TrainingJobSpec Spec { get; init; }

    /// <summary>The epoch in progress (1-based; the last one once finished).</summary>
    [Id(3)] public int Epoch { get; init; }

    /// <summary>Rounds completed in total.</summary>
    [Id(4)] public long Round { get; init; }

    [Id(5)] public long TotalRounds { get; init; }

    [Id(6)] public double? Loss { get; init; }

    [Id(7)] public IReadOnlyList<EpochSummary> History { get; init; } = [];

    [Id(8)] public IReadOnlyList<WorkerInfo> Workers { get; init; } = [];

    [Id(9)] public int? ResultVersion { get; init; }

    [Id(10)] public string? FailureReason { get; init; }

    /// <summary>How many times the worker group was re-formed after a failure, and why.</summary>
    [Id(11)] public IReadOnlyList<string> Recoveries { get; init; } = [];

    /// <summary>Wall-clock milliseconds of the latest rounds (at most the last 4096), a failed round included.</summary>
    [Id(12)] public IReadOnlyList<double> RoundDurationsMs { get; init; } = [];

    /// <summary>All-reduce bytes each worker sent in the latest round, and the gradient size in bytes.</summary>
    [Id(13)] public long AllReduceBytesPerWorker { get; init; }

    [Id(14)] public long GradientBytes { get; init; }

    [Id(15)] public DateTimeOffset CreatedAt { get; init; }

    [Id(16)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The worker timeout in force: no round waits longer than this for a worker.</summary>
    [Id(17)] public double WorkerTimeoutMs { get; init; }

    [Id(18)] public long LastCheckpointRound { get; init; }

    /// <summary>The silo the coordinator runs on now.</summary>
    [Id(19)] public string? CoordinatorSilo { get; init; }

    public bool IsFinished => State is TrainingState.Succeeded or TrainingState.Failed or TrainingState.Cancelled;
}

/// <summary>One finished epoch: mean training loss, and validation loss and accuracy when there is a split.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.EpochSummary")]
public sealed record EpochSummary(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double Loss,
    [property: Id(2)] double? ValidationLoss,
    [property: Id(3)] double? ValidationAccuracy,
    [property: Id(4)] double DurationMs);

/// <summary>A worker of the current group: its rank, grain key, silo, and the index of its device on that silo.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.WorkerInfo")]
public sealed record WorkerInfo(
    [property: Id(0)] int Rank,
    [property: Id(1)] string Key,
    [property: Id(2)] string Silo,
    [property: Id(3)] int Device = 0);
