namespace OrleansML.Samples.ClusterClient;

/// <summary>Where the cluster is, and what to ask it.</summary>
public sealed class ClientSettings
{
    /// <summary>StackExchange.Redis connection string of the silos' Redis (password and TLS go here too).</summary>
    public string Redis { get; set; } = "localhost:6379";

    public string ClusterId { get; set; } = "orleansml";

    public string ServiceId { get; set; } = "orleansml";

    /// <summary>The model to predict on; the first listed when unset.</summary>
    public string? Model { get; set; }

    /// <summary>One input row as comma-separated numbers; a row of ones of the model's width when unset.</summary>
    public string? Input { get; set; }
}
