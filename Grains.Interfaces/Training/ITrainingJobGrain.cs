namespace OrleansML.Training;

/// <summary>
/// The coordinator of one training job (keyed by its id). It validates and starts the job, drives synchronous
/// rounds across its workers from a grain timer, checkpoints, re-forms the group when a worker fails, and registers
/// the result as a new model version.
/// </summary>
[Alias("OrleansML.Training.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Validates and starts the job; throws <see cref="Errors.PlatformException"/> and stores nothing when invalid.</summary>
    [Alias("StartAsync")]
    Task<TrainingJobStatus> StartAsync(TrainingJobSpec spec);

    /// <summary>The job, or null when there is none with this id. Resumes a running job whose timer was lost.</summary>
    [Alias("GetAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task<TrainingJobStatus?> GetAsync();

    /// <summary>Cancels a pending or running job and stops its workers.</summary>
    [Alias("CancelAsync"), Orleans.Concurrency.AlwaysInterleave]
    Task<TrainingJobStatus> CancelAsync();
}
