namespace OrleansML.Scoring;

/// <summary>Where a scoring job is in its life.</summary>
[GenerateSerializer, Alias("OrleansML.Scoring.ScoringState")]
public enum ScoringState
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>A scoring job's progress and outcome.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Scoring.ScoringJobStatus")]
public sealed record ScoringJobStatus
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required ScoringState State { get; init; }

    [Id(2)] public required ScoringJobSpec Spec { get; init; }

    /// <summary>The model version every row is scored with (resolved when the job started).</summary>
    [Id(3)] public int ModelVersion { get; init; }

    [Id(4)] public int PartitionsDone { get; init; }

    [Id(5)] public int PartitionsTotal { get; init; }

    [Id(6)] public long RowsScored { get; init; }

    [Id(7)] public long RowsTotal { get; init; }

    /// <summary>Rows committed per second of the job's running time so far.</summary>
    [Id(8)] public double RowsPerSecond { get; init; }

    [Id(9)] public string? FailureReason { get; init; }

    [Id(10)] public required string OutputDataset { get; init; }

    /// <summary>Work units handed to another silo after their silo failed or timed out, and why.</summary>
    [Id(11)] public IReadOnlyList<string> Retries { get; init; } = [];

    /// <summary>Committed work units per silo.</summary>
    [Id(12)] public IReadOnlyDictionary<string, int> PartitionsBySilo { get; init; } = new Dictionary<string, int>();

    [Id(13)] public DateTimeOffset CreatedAt { get; init; }

    [Id(14)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The silo the coordinator runs on now.</summary>
    [Id(15)] public string? CoordinatorSilo { get; init; }

    public bool IsFinished => State is ScoringState.Succeeded or ScoringState.Failed;
}
