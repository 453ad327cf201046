namespace OrleansML.Serving;

/// <summary>One version of a model: how to load it, what it takes, where it came from, and its state.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ModelVersionInfo")]
public sealed record ModelVersionInfo
{
    [Id(0)] public required int Version { get; init; }

    [Id(1)] public required VersionState State { get; init; }

    [Id(2)] public required ModelFormat Format { get; init; }

    [Id(3)] public required ModelSignature Signature { get; init; }

    [Id(4)] public ArchitectureSpec? Architecture { get; init; }

    [Id(5)] public Standardization? Preprocessing { get; init; }

    /// <summary>SHA-256 of the artifact (hex), verified whenever a silo loads it.</summary>
    [Id(6)] public required string Sha256 { get; init; }

    [Id(7)] public required long SizeBytes { get; init; }

    [Id(8)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where the version came from: <c>upload</c>, <c>architecture</c>, <c>training:{jobId}</c>, or <c>repository:{model}/{version}</c>.</summary>
    [Id(9)] public required string Source { get; init; }

    [Id(10)] public string? FailureReason { get; init; }

    /// <summary>Training metrics (loss, accuracy) for trained versions.</summary>
    [Id(11)] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The artifact store key of the weights.</summary>
    [Id(12)] public required string ArtifactKey { get; init; }
}
