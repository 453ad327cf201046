using OrleansML.Datasets;

namespace OrleansML.Scoring;

/// <summary>A scoring job's persisted state: the units and which are committed, enough to resume on any silo.</summary>
[GenerateSerializer, Alias("OrleansML.Scoring.ScoringJobState")]
public sealed class ScoringJobState
{
    [Id(0)] public ScoringJobSpec? Spec { get; set; }

    [Id(1)] public ScoringState State { get; set; }

    [Id(2)] public DatasetInfo? Input { get; set; }

    [Id(3)] public int Version { get; set; }

    /// <summary>Work units: contiguous ranges of the input's storage partitions.</summary>
    [Id(4)] public List<PartitionRange> Units { get; set; } = [];

    /// <summary>Indexes of the units whose output partitions are committed.</summary>
    [Id(5)] public HashSet<int> Committed { get; set; } = [];

    [Id(6)] public long RowsScored { get; set; }

    [Id(7)] public string? FailureReason { get; set; }

    [Id(8)] public DateTimeOffset CreatedAt { get; set; }

    [Id(9)] public DateTimeOffset? StartedAt { get; set; }

    [Id(10)] public DateTimeOffset? FinishedAt { get; set; }

    [Id(11)] public List<string> Retries { get; set; } = [];

    [Id(12)] public Dictionary<string, int> UnitsBySilo { get; set; } = [];

    [Id(13)] public int Outputs { get; set; }

    [Id(14)] public bool Classification { get; set; }

    [Id(15)] public Dictionary<int, int> Attempts { get; set; } = [];

    /// <summary>Staging prefixes of attempts that were given up on; their files are deleted when the job ends.</summary>
    [Id(16)] public List<string> AbandonedStaging { get; set; } = [];

    public bool IsFinished => State is ScoringState.Succeeded or ScoringState.Failed;
}

/// <summary>Storage partitions <see cref="First"/> to <see cref="First"/> + <see cref="Count"/> - 1.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Scoring.PartitionRange")]
public sealed record PartitionRange([property: Id(0)] int First, [property: Id(1)] int Count);
