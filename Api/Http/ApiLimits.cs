namespace OrleansML.Api.Http;

/// <summary>Request size limits (<c>OrleansML:Limits</c>); a body over its limit is answered 413.</summary>
public sealed class ApiLimits
{
    public const string SectionName = "OrleansML:Limits";

    /// <summary>Largest model upload (multipart body), 1 GiB by default.</summary>
    public long MaxUploadBytes { get; set; } = 1L << 30;

    /// <summary>Largest dataset upload (CSV or multipart body), 64 GiB by default: it streams to the artifact store.</summary>
    public long MaxDatasetBytes { get; set; } = 64L << 30;

    /// <summary>Largest prediction request body of any protocol, 16 MiB by default.</summary>
    public long MaxPredictBytes { get; set; } = 16L << 20;

    /// <summary>Most rows (batch entries) in one prediction request.</summary>
    public int MaxPredictRows { get; set; } = 10_000;
}
