namespace OrleansML.Jobs;

/// <summary>
/// The durable list of the jobs of one kind (keyed by the kind's name), so jobs can be found without their ids.
/// Coordinators record a job when it is accepted and again at each change of state; progress between changes is
/// read from the job itself.
/// </summary>
[Alias("OrleansML.Jobs.IJobIndexGrain")]
public interface IJobIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds the job or updates its row; a finished row is never moved back to an unfinished state.</summary>
    [Alias("RecordAsync")]
    Task RecordAsync(JobRow row);

    [Alias("ListAsync"), Orleans.Concurrency.ReadOnly]
    Task<JobPage> ListAsync(JobQuery query);
}

public static class JobIndexGrainFactoryExtensions
{
    public static IJobIndexGrain GetJobIndex(this IGrainFactory grains, JobKind kind) =>
        grains.GetGrain<IJobIndexGrain>(kind.ToString().ToLowerInvariant());
}
