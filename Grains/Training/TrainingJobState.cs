using OrleansML.Datasets;
using OrleansML.Serving;

namespace OrleansML.Training;

/// <summary>A job's persisted state: enough to resume from the last checkpoint on any silo.</summary>
[GenerateSerializer, Alias("OrleansML.Training.TrainingJobState")]
public sealed class TrainingJobState
{
    [Id(0)] public TrainingJobSpec? Spec { get; set; }

    [Id(1)] public TrainingState State { get; set; }

    [Id(2)] public DatasetInfo? Dataset { get; set; }

    /// <summary>The starting weights: the base version's artifact, or the job's initial weights for a new model.</summary>
    [Id(3)] public string WeightsKey { get; set; } = "";

    [Id(4)] public ModelFormat Format { get; set; }

    [Id(5)] public ArchitectureSpec? Architecture { get; set; }

    [Id(6)] public ModelSignature? Signature { get; set; }

    [Id(7)] public Standardization? Standardization { get; set; }

    [Id(8)] public bool Prepared { get; set; }

    /// <summary>The round the checkpoint was taken after (0: none yet, start from <see cref="WeightsKey"/>).</summary>
    [Id(9)] public long CheckpointRound { get; set; }

    [Id(10)] public double CheckpointEpochLoss { get; set; }

    [Id(11)] public List<EpochSummary> History { get; set; } = [];

    [Id(12)] public List<string> Recoveries { get; set; } = [];

    [Id(13)] public int? ResultVersion { get; set; }

    [Id(14)] public string? FailureReason { get; set; }

    [Id(15)] public DateTimeOffset CreatedAt { get; set; }

    [Id(16)] public DateTimeOffset? FinishedAt { get; set; }

    [Id(17)] public int Generation { get; set; }

    [Id(18)] public int BaseVersion { get; set; }

    /// <summary>
    /// The artifact of the checkpoint <see cref="CheckpointRound"/> names (<c>training/{job}/checkpoint-{generation}-{0|1}</c>,
    /// written by <see cref="CheckpointLedger"/>); null before the first checkpoint.
    /// </summary>
    [Id(19)] public string? CheckpointKey { get; set; }
}
