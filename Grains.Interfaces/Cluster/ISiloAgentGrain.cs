namespace OrleansML.Cluster;

/// <summary>
/// The OrleansML agent on one silo. Its key is the silo's address (<see cref="SiloInfo.Address"/>), and it is
/// always activated on that silo, so the cluster can address every silo by name: to warm models there, to push
/// routing changes to its replicas, or to run a training worker on it.
/// </summary>
[Alias("OrleansML.Cluster.ISiloAgentGrain")]
public interface ISiloAgentGrain : IGrainWithStringKey
{
    /// <summary>Describes the silo this agent runs on.</summary>
    [Alias("GetSiloAsync")]
    Task<SiloInfo> GetSiloAsync();
}
