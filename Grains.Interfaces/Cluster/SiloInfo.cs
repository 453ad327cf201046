namespace OrleansML.Cluster;

/// <summary>A silo as OrleansML sees it: its address, host name, and the torch device its replicas use.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Cluster.SiloInfo")]
public sealed record SiloInfo(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] string Device);
