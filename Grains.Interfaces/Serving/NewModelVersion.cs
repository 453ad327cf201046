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

    /// <summary>
    /// The version number to register it as (a model repository's folder name); null takes the next one. Refused
    /// when the model has that number already, unless that version is FAILED (it is then replaced).
    /// </summary>
    [Id(7)] public int? Number { get; init; }

    /// <summary>
    /// Keep a refused artifact as a FAILED version with the reason (the model repository's choice, so the model
    /// shows what is wrong with a folder) instead of leaving no trace; the refusal is still thrown.
    /// </summary>
    [Id(8)] public bool RecordFailure { get; init; }
}
