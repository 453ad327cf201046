using OrleansML.Serving.Rollouts;

namespace OrleansML.Serving;

/// <summary>A model's control-plane state: its versions, labels, traffic split, version policy, batching and ONNX sessions.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ModelInfo")]
public sealed record ModelInfo
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public required IReadOnlyList<ModelVersionInfo> Versions { get; init; }

    /// <summary>Label → version, such as <c>stable</c> → 3 and <c>canary</c> → 4.</summary>
    [Id(2)] public required IReadOnlyDictionary<string, int> Labels { get; init; }

    /// <summary>Label → weight for requests that name neither version nor label; empty when unset.</summary>
    [Id(3)] public required IReadOnlyDictionary<string, int> TrafficSplit { get; init; }

    /// <summary>How many of the latest versions to keep (labelled ones are always kept); 0 keeps all.</summary>
    [Id(4)] public required int KeepLatest { get; init; }

    [Id(5)] public required BatchingSettings Batching { get; init; }

    /// <summary>Increases with every change; replicas keep the routing with the highest revision.</summary>
    [Id(6)] public required long Revision { get; init; }

    /// <summary>The current or last progressive rollout; while it runs, it routes unaddressed requests.</summary>
    [Id(7)] public RolloutInfo? Rollout { get; init; }

    /// <summary>The version that answers a share of requests in the shadow (off the response path), or null.</summary>
    [Id(8)] public ShadowSettings? Shadow { get; init; }

    /// <summary>How its ONNX versions open their sessions; a change reloads them on every silo.</summary>
    [Id(9)] public OnnxSessionSettings OnnxSession { get; init; } = new();

    /// <summary>The version a request naming neither version nor label gets without a traffic split.</summary>
    public int? DefaultVersion =>
        Labels.TryGetValue("stable", out var stable) ? stable
        : Versions.Where(v => v.State == VersionState.Available).Select(v => (int?)v.Version).Max();
}

/// <summary>Dynamic batching: coalesce concurrent requests up to a batch size, waiting at most a queue delay.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.BatchingSettings")]
public sealed record BatchingSettings(
    [property: Id(0)] bool Enabled = true,
    [property: Id(1)] int MaxBatchSize = 64,
    [property: Id(2)] double MaxQueueDelayMs = 2);
