namespace OrleansML.Cluster;

/// <summary>
/// A silo as OrleansML sees it: its address, host name, the torch device its replicas use first, and how many
/// devices it spreads replicas and training workers over (several on a multi-GPU silo, else 1).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Cluster.SiloInfo")]
public sealed record SiloInfo(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] string Device,
    [property: Id(3)] int Devices = 1);
