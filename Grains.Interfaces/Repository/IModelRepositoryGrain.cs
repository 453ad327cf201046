using Orleans.Concurrency;

namespace OrleansML.Repository;

/// <summary>
/// The watched model repository (<c>OrleansML:Repository:Url</c>): one activation cluster-wide (key 0) polls the
/// folder or bucket prefix every <c>PollInterval</c>, so a cluster of N silos polls once, and brings what it finds into
/// the models: new version folders become versions, config.json labels move, removed folders are retired.
/// </summary>
[Alias("OrleansML.Repository.IModelRepositoryGrain")]
public interface IModelRepositoryGrain : IGrainWithIntegerKey
{
    /// <summary>Arms the poll timer and the reminder that re-activates the poller after its silo dies; idempotent.</summary>
    [Alias("StartAsync")]
    Task StartAsync();

    /// <summary>What the last polls found, when, and what failed.</summary>
    [Alias("GetStatusAsync"), AlwaysInterleave]
    Task<RepositoryStatus> GetStatusAsync();
}
