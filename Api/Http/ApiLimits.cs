namespace OrleansML.Api.Http;

/// <summary>
/// Request size limits (<c>OrleansML:Limits</c>): a body over its byte limit is answered 413, a prediction over its
/// row or element limit 400.
/// </summary>
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

    /// <summary>
    /// Most tensor values in one prediction request, 16M by default (128 MiB as doubles). A body under
    /// <see cref="MaxPredictBytes"/> can still declare a far larger tensor (a KServe shape, or nested arrays whose
    /// first elements are long and the rest short), so the declared size is checked before anything is allocated.
    /// </summary>
    public long MaxPredictElements { get; set; } = 16L << 20;
}
