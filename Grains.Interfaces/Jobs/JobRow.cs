using OrleansML.Scoring;
using OrleansML.Training;

namespace OrleansML.Jobs;

/// <summary>The kinds of job the platform runs; each has its own index.</summary>
[GenerateSerializer, Alias("OrleansML.Jobs.JobKind")]
public enum JobKind
{
    Training,
    Scoring,
}

/// <summary>Where a job of any kind is in its life (scoring jobs are never cancelled).</summary>
[GenerateSerializer, Alias("OrleansML.Jobs.JobState")]
public enum JobState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>One job in a list: its id, state, model, progress (0 to 1) and times.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Jobs.JobRow")]
public sealed record JobRow
{
    [Id(0)] public required string Id { get; init; }

    [Id(1)] public required JobState State { get; init; }

    [Id(2)] public required string Model { get; init; }

    [Id(3)] public double Progress { get; init; }

    [Id(4)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the job first ran: stamped by the index when it first sees the job running, if not given.</summary>
    [Id(5)] public DateTimeOffset? StartedAt { get; init; }

    [Id(6)] public DateTimeOffset? FinishedAt { get; init; }

    public bool IsFinished => State is JobState.Succeeded or JobState.Failed or JobState.Cancelled;

    public static JobRow Of(TrainingJobStatus status) => new()
    {
        Id = status.Id,
        State = status.State switch
        {
            TrainingState.Pending => JobState.Pending,
            TrainingState.Running => JobState.Running,
            TrainingState.Succeeded => JobState.Succeeded,
            TrainingState.Failed => JobState.Failed,
            _ => JobState.Cancelled,
        },
        Model = status.Spec.Model,
        Progress = status.State == TrainingState.Succeeded ? 1 : status.TotalRounds > 0 ? Math.Clamp((double)status.Round / status.TotalRounds, 0, 1) : 0,
        CreatedAt = status.CreatedAt,
        FinishedAt = status.FinishedAt,
    };

    public static JobRow Of(ScoringJobStatus status) => new()
    {
        Id = status.Id,
        State = status.State switch
        {
            ScoringState.Pending => JobState.Pending,
            ScoringState.Running => JobState.Running,
            ScoringState.Succeeded => JobState.Succeeded,
            _ => JobState.Failed,
        },
        Model = status.Spec.Model ?? "",
        Progress = status.State == ScoringState.Succeeded ? 1 : status.PartitionsTotal > 0 ? (double)status.PartitionsDone / status.PartitionsTotal : 0,
        CreatedAt = status.CreatedAt,
        FinishedAt = status.FinishedAt,
    };
}
