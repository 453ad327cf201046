using OrleansML.Datasets;

namespace OrleansML.Scoring;

/// <summary>
/// Scores row ranges of a dataset on one silo, pinned there by its key <c>{silo}/{jobId}</c>: it reads only the
/// storage partitions of its range, sends their rows through the silo's local predictor replicas and writes one
/// staged output partition per input partition. The coordinator commits them.
/// </summary>
[Alias("OrleansML.Scoring.IScoringWorkerGrain")]
public interface IScoringWorkerGrain : IGrainWithStringKey
{
    [Alias("ScoreAsync")]
    Task<UnitResult> ScoreAsync(ScoringUnit unit);
}

/// <summary>
/// One work unit: storage partitions <see cref="FirstPartition"/> to <see cref="FirstPartition"/> +
/// <see cref="PartitionCount"/> - 1 of <see cref="Input"/>, written under <see cref="StagingPrefix"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Scoring.ScoringUnit")]
public sealed record ScoringUnit
{
    [Id(0)] public required string Model { get; init; }

    [Id(1)] public required int Version { get; init; }

    [Id(2)] public required DatasetInfo Input { get; init; }

    [Id(3)] public required int FirstPartition { get; init; }

    [Id(4)] public required int PartitionCount { get; init; }

    /// <summary>Where this attempt writes <c>part-{i:D5}</c>; every attempt has its own, so a late one never overwrites.</summary>
    [Id(5)] public required string StagingPrefix { get; init; }

    [Id(6)] public required string Output { get; init; }

    [Id(7)] public required int ChunkRows { get; init; }

    /// <summary>Where the unit's Parquet file is staged (<see cref="ParquetOutputFiles.Staged"/>); null when the job writes none.</summary>
    [Id(8)] public string? ParquetOutputUrl { get; init; }

    /// <summary>The unit's index among the job's units.</summary>
    [Id(9)] public int Unit { get; init; }
}

/// <summary>What a unit produced: rows, the model's outputs per row, how the rows were written, and where.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Scoring.UnitResult")]
public sealed record UnitResult(
    [property: Id(0)] long Rows,
    [property: Id(1)] int Outputs,
    [property: Id(2)] bool Classification,
    [property: Id(3)] double DurationMs,
    [property: Id(4)] string Silo);
