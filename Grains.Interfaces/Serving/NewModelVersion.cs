namespace OrleansML.Serving;

/// <summary>
/// A version to register from an artifact already written to the artifact store under <see cref="StagingKey"/>.
/// The model grain validates it (loads it and runs a forward pass) before it becomes a version; a rejected
/// artifact is deleted and nothing is stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.NewModelVersion")]
public sealed record NewModelVersion
{
    [Id(0)] public required string StagingKey { get; init; }

    /// <summary>Null detects the format from the file (a TorchScript archive, else native weights).</summary>
    [Id(1)] public ModelFormat? Format { get; init; }

    /// <summary>Null infers it from the model (TorchScript: its first and last linear layers).</summary>
    [Id(2)] public ModelSignature? Signature { get; init; }

    /// <summary>Required for native weights.</summary>
    [Id(3)] public ArchitectureSpec? Architecture { get; init; }

    [Id(4)] public Standardization? Preprocessing { get; init; }

    [Id(5)] public string Source { get; init; } = "upload";

    [Id(6)] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
