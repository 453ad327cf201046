using Microsoft.Extensions.Logging;

namespace OrleansML.Training;

/// <summary>The coordinator's status and log messages: this file reads the job's parts and writes none of them.</summary>
public sealed partial class TrainingJobGrain
{
    private TrainingJobStatus Status() => new()
    {
        Id = JobId,
        State = state.State.State,
        Spec = Spec,
        Epoch = state.State.Prepared ? Rounds.Epoch(Spec.Epochs, state.State.IsFinished()) : 0,
        Round = Rounds.Round,
        TotalRounds = state.State.Prepared ? Rounds.TotalRounds : 0,
        Loss = Rounds.Loss,
        History = [.. state.State.History],
        Workers = _workers,
        ResultVersion = state.State.ResultVersion,
        FailureReason = state.State.FailureReason,
        Recoveries = [.. state.State.Recoveries],
        RoundDurationsMs = [.. Rounds.Durations],
        AllReduceBytesPerWorker = Rounds.BytesPerWorker,
        GradientBytes = Rounds.GradientBytes,
        CreatedAt = state.State.CreatedAt,
        FinishedAt = state.State.FinishedAt,
        WorkerTimeoutMs = _options.WorkerTimeout.TotalMilliseconds,
        LastCheckpointRound = state.State.CheckpointRound,
        CoordinatorSilo = silo.SiloAddress.ToParsableString(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} started: model {Model} on dataset {Dataset}")]
    private static partial void LogStarted(ILogger logger, string job, string model, string dataset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job}: {Reason}; re-forming the worker group from round {Round}")]
    private static partial void LogRecovering(ILogger logger, string job, string reason, long round);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training job {Job} succeeded: model {Model} version {Version}")]
    private static partial void LogSucceeded(ILogger logger, string job, string model, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training job {Job}: its admission could not be given back; the admission grain drops it when the limit is next reached")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string job);

    [LoggerMessage(Level = LogLevel.Error, Message = "Training job {Job} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, string? reason);
}
