namespace OrleansML.Repository;

/// <summary>The repository as the poller last saw it: each model's versions and config, and what failed.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Repository.RepositoryStatus")]
public sealed record RepositoryStatus
{
    /// <summary>False when <c>OrleansML:Repository:Url</c> is empty: nothing is watched.</summary>
    [Id(0)] public required bool Enabled { get; init; }

    /// <summary>The repository's URL (<c>file://</c>, <c>s3://</c> or <c>az://</c>) without credentials.</summary>
    [Id(1)] public string? Url { get; init; }

    [Id(2)] public required TimeSpan PollInterval { get; init; }

    /// <summary>When the last poll ended, or null before the first.</summary>
    [Id(3)] public DateTimeOffset? LastPollAt { get; init; }

    /// <summary>Why the last poll could not list the repository (unreachable, missing), or null.</summary>
    [Id(4)] public string? LastPollError { get; init; }

    [Id(5)] public IReadOnlyList<RepositoryModelStatus> Models { get; init; } = [];

    /// <summary>Entries that are not part of any version: a version folder that is not a number, a bad model name, a stray file.</summary>
    [Id(6)] public IReadOnlyList<RepositoryProblem> Problems { get; init; } = [];

    [Id(7)] public long Polls { get; init; }

    /// <summary>The silo the poller runs on (its parsable address, <c>host:port@generation</c>): where the cluster polls from now.</summary>
    [Id(8)] public string? Silo { get; init; }
}

/// <summary>One model folder: its config.json and its version folders.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Repository.RepositoryModelStatus")]
public sealed record RepositoryModelStatus
{
    [Id(0)] public required string Name { get; init; }

    /// <summary>True when the folder has a config.json.</summary>
    [Id(1)] public bool HasConfig { get; init; }

    /// <summary>Why config.json was not applied (it does not parse, a label names a version that is not AVAILABLE), or null.</summary>
    [Id(2)] public string? ConfigError { get; init; }

    /// <summary>The labels config.json asks for.</summary>
    [Id(3)] public IReadOnlyDictionary<string, int> Labels { get; init; } = new Dictionary<string, int>();

    [Id(4)] public IReadOnlyList<RepositoryVersionStatus> Versions { get; init; } = [];
}

/// <summary>One version folder and what became of it.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Repository.RepositoryVersionStatus")]
public sealed record RepositoryVersionStatus
{
    [Id(0)] public required int Version { get; init; }

    /// <summary>The folder, relative to the repository: <c>{model}/{version}</c>.</summary>
    [Id(1)] public required string Path { get; init; }

    [Id(2)] public required RepositoryVersionState State { get; init; }

    /// <summary>Why it FAILED, or why a removed folder's version is kept.</summary>
    [Id(3)] public string? Reason { get; init; }

    /// <summary>SHA-256 of the model file as imported (hex), or null when it was never imported.</summary>
    [Id(4)] public string? Sha256 { get; init; }

    /// <summary>When the poller first saw the folder's current files.</summary>
    [Id(5)] public required DateTimeOffset FoundAt { get; init; }

    /// <summary>When the version was imported, failed or retired.</summary>
    [Id(6)] public DateTimeOffset? ChangedAt { get; init; }
}

/// <summary>What became of a version folder.</summary>
[GenerateSerializer, Alias("OrleansML.Repository.RepositoryVersionState")]
public enum RepositoryVersionState
{
    /// <summary>It is a version of the model.</summary>
    Imported,

    /// <summary>It could not become a version; <see cref="RepositoryVersionStatus.Reason"/> says why. It is tried again when its files change.</summary>
    Failed,

    /// <summary>Its folder is gone, but a label, the shadow or a rollout still uses the version, so it stays until that moves.</summary>
    Kept,

    /// <summary>Its folder is gone and the version was deleted.</summary>
    Retired,
}

/// <summary>A repository entry that is not a version: where, and why.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Repository.RepositoryProblem")]
public sealed record RepositoryProblem([property: Id(0)] string Path, [property: Id(1)] string Reason);
