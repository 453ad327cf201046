namespace OrleansML.Repository;

/// <summary>
/// What the poller remembers across activations: each version folder it handled (so a restart imports nothing twice)
/// and the config.json it last applied to each model. Field ids are fixed forever; add new ones at the end.
/// </summary>
[GenerateSerializer, Alias("OrleansML.Repository.RepositoryState")]
public sealed class RepositoryState
{
    /// <summary>Keyed by <c>{model}/{version}</c>.</summary>
    [Id(0)] public Dictionary<string, HandledVersion> Versions { get; set; } = [];

    /// <summary>Model → the change token of the config.json whose labels and batching were applied.</summary>
    [Id(1)] public Dictionary<string, string> AppliedConfigs { get; set; } = [];
}

/// <summary>One version folder and what the poller made of it.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Repository.HandledVersion")]
public sealed record HandledVersion
{
    [Id(0)] public required string Model { get; init; }

    [Id(1)] public required int Version { get; init; }

    /// <summary>The folder's change token when it was handled; empty asks for another try at the next poll.</summary>
    [Id(2)] public required string ChangeToken { get; init; }

    [Id(3)] public required RepositoryVersionState State { get; init; }

    [Id(4)] public string? Reason { get; init; }

    [Id(5)] public string? Sha256 { get; init; }

    [Id(6)] public required DateTimeOffset FoundAt { get; init; }

    [Id(7)] public DateTimeOffset? ChangedAt { get; init; }

    public string Key => $"{Model}/{Version}";

    public RepositoryVersionStatus ToStatus(string? note = null) => new()
    {
        Version = Version,
        Path = Key,
        State = State,
        Reason = note ?? Reason,
        Sha256 = Sha256,
        FoundAt = FoundAt,
        ChangedAt = ChangedAt,
    };
}
