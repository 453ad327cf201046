using OrleansML.Datasets;
using OrleansML.Serving;

namespace OrleansML.Training;

/// <summary>
/// One data-parallel replica of a job, pinned to a silo by its key <c>{silo}/{jobId}/{generation}-{rank}</c>. Each
/// round it computes the gradient of its part of the global batch, all-reduces it with its peers (directly,
/// worker to worker) and applies the optimizer step, so every replica holds the same weights. The coordinator hands
/// it a run of rounds at a time; the all-reduce keeps the workers in step within the run.
/// </summary>
[Alias("OrleansML.Training.ITrainingWorkerGrain")]
public interface ITrainingWorkerGrain : IGrainWithStringKey
{
    /// <summary>Loads the starting weights (and optimizer state of a checkpoint) and joins the group.</summary>
    [Alias("InitializeAsync")]
    Task InitializeAsync(WorkerSetup setup);

    /// <summary>
    /// Runs consecutive rounds, taking this worker's slice of each round's batch from the job's plan, across epoch
    /// ends (rank 0 evaluates the validation rows at each one), and starts writing the checkpoint the work asks for
    /// without waiting for it (<see cref="FlushCheckpointAsync"/>).
    /// </summary>
    [Alias("RunRoundsAsync")]
    Task<RoundsResult> RunRoundsAsync(RoundsWork work);

    /// <summary>A chunk of a peer's all-reduce message.</summary>
    [Alias("DeliverAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task DeliverAsync(GradientChunk chunk);

    /// <summary>
    /// Waits for the checkpoint being written, if any, and returns the round of the last one written (-1: none);
    /// throws when writing it failed.
    /// </summary>
    [Alias("FlushCheckpointAsync")]
    Task<long> FlushCheckpointAsync();

    /// <summary>Writes the model artifact in its version's format to <paramref name="key"/>.</summary>
    [Alias("ExportAsync")]
    Task ExportAsync(string key);

    /// <summary>Leaves the group once the checkpoint it is writing, if any, is written.</summary>
    [Alias("StopAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task StopAsync();
}

/// <summary>What a worker needs to join a group.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.WorkerSetup")]
public sealed record WorkerSetup
{
    [Id(0)] public required string JobId { get; init; }

    [Id(1)] public required int Rank { get; init; }

    /// <summary>Every worker's grain key, by rank.</summary>
    [Id(2)] public required string[] Peers { get; init; }

    [Id(3)] public required string WeightsKey { get; init; }

    [Id(4)] public required ModelFormat Format { get; init; }

    [Id(5)] public ArchitectureSpec? Architecture { get; init; }

    /// <summary>A checkpoint to restore weights and optimizer state from, or null to start from <see cref="WeightsKey"/>.</summary>
    [Id(6)] public string? CheckpointKey { get; init; }

    [Id(7)] public required DatasetInfo Dataset { get; init; }

    [Id(8)] public Standardization? Standardization { get; init; }

    [Id(9)] public required string Optimizer { get; init; }

    [Id(10)] public required double LearningRate { get; init; }

    [Id(11)] public required string AllReduce { get; init; }

    [Id(12)] public required int ChunkFloats { get; init; }

    /// <summary>How long to wait for a peer's message before giving up on the round.</summary>
    [Id(13)] public required TimeSpan PeerTimeout { get; init; }

    /// <summary>The job's global batch, validation split and seed: each worker derives every round's rows from them.</summary>
    [Id(14)] public required int BatchSize { get; init; }

    [Id(15)] public required double ValidationSplit { get; init; }

    [Id(16)] public required int Seed { get; init; }

    /// <summary>Which of its silo's devices the worker trains on (an index into the silo's devices).</summary>
    [Id(17)] public int Device { get; init; }
}

/// <summary>
/// Rounds <see cref="First"/> to <see cref="First"/> + <see cref="Count"/> - 1 of the job (0-based), then, when
/// <see cref="CheckpointKey"/> is set, a checkpoint of the state after them written to that key.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.RoundsWork")]
public sealed record RoundsWork(
    [property: Id(0)] long First,
    [property: Id(1)] int Count,
    [property: Id(2)] string? CheckpointKey);

/// <summary>
/// A worker's share of each round's mean loss, each round's duration on it, and the bytes it sent to peers in the
/// last round. <see cref="WallMs"/> is each round's share of the worker's wall-clock time: from the end of the round
/// before (or of joining the group) to its own end, so the time between calls and an epoch end's validation count
/// too. <see cref="Evaluations"/> holds rank 0's validation result at each epoch end in the run, in order (empty on
/// other ranks and without a validation split).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.RoundsResult")]
public sealed record RoundsResult(
    [property: Id(0)] double[] WeightedLosses,
    [property: Id(1)] double[] DurationsMs,
    [property: Id(2)] long BytesSent,
    [property: Id(3)] long GradientFloats,
    [property: Id(4)] double[] WallMs,
    [property: Id(5)] Evaluation[] Evaluations);

[GenerateSerializer, Immutable, Alias("OrleansML.Training.GradientChunk")]
public sealed record GradientChunk(
    [property: Id(0)] int From,
    [property: Id(1)] long Round,
    [property: Id(2)] int Step,
    [property: Id(3)] int Offset,
    [property: Id(4)] int Total,
    [property: Id(5)] float[] Data);

[GenerateSerializer, Immutable, Alias("OrleansML.Training.Evaluation")]
public sealed record Evaluation(
    [property: Id(0)] double LossSum,
    [property: Id(1)] long Correct,
    [property: Id(2)] long Count);
