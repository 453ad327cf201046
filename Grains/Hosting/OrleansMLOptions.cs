using OrleansML.Storage;

namespace OrleansML.Hosting;

/// <summary>How an OrleansML process runs: its mode, where it keeps data, and which torch device it uses.</summary>
public sealed class OrleansMLOptions
{
    public const string SectionName = "OrleansML";

    /// <summary><see cref="HostingMode.Embedded"/> (one process, local files) or <see cref="HostingMode.Cluster"/> (Redis).</summary>
    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    /// <summary>Embedded mode keeps grain state and model artifacts here; relative paths start at the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Torch device for this silo's replicas: auto, cpu, cuda or cuda:N.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Connection string of the Redis server used in cluster mode (or the name of a ConnectionStrings entry).</summary>
    public string Redis { get; set; } = "redis";

    /// <summary>Cluster id shared by the silos and clients of one deployment.</summary>
    public string ClusterId { get; set; } = "orleansml";

    /// <summary>Service id: stable across deployments, it keys grain state.</summary>
    public string ServiceId { get; set; } = "orleansml";

    /// <summary>Silo-to-silo port; 0 leaves it to Orleans (11111, or what Aspire configures).</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port; 0 leaves it to Orleans (30000, or what Aspire configures).</summary>
    public int GatewayPort { get; set; }

    /// <summary>Cluster mode with explicit ports: the address other silos reach this one at (default loopback).</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>Where model artifacts and datasets live (<c>OrleansML:Storage:Artifacts</c> and <c>...:Datasets</c>).</summary>
    public StorageOptions Storage { get; set; } = new();

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}

/// <summary>Where the cluster's members find each other and keep state.</summary>
public enum HostingMode
{
    /// <summary>The API hosts its own silo; state and artifacts live in <see cref="OrleansMLOptions.DataDirectory"/>.</summary>
    Embedded,

    /// <summary>Silos cluster through Redis and keep state and artifacts there; the API is an Orleans client.</summary>
    Cluster,
}
