namespace OrleansML.Training;

/// <summary>
/// The cluster's admission of training jobs (one grain, key 0): a job takes a place when it starts and gives it
/// back when it succeeds, fails or is cancelled, so at most <see cref="TrainingOptions.MaxConcurrentJobs"/> jobs
/// hold workers at once. Places are persisted: a job whose coordinator's silo died keeps its place and resumes.
/// </summary>
[Alias("OrleansML.Training.ITrainingAdmissionGrain")]
public interface ITrainingAdmissionGrain : IGrainWithIntegerKey
{
    /// <summary>Gives the job a place if one is free; a job that already holds one keeps it (a retried start).</summary>
    [Alias("AdmitAsync")]
    Task<Admission> AdmitAsync(string jobId);

    /// <summary>Gives the job's place back; a job that holds none is ignored.</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(string jobId);
}

/// <summary>Whether a job was admitted, how many jobs hold a place now, and the limit (0: none).</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Training.Admission")]
public sealed record Admission(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] int Running,
    [property: Id(2)] int Limit);
