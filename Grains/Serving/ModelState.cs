using OrleansML.Serving.Rollouts;

namespace OrleansML.Serving;

/// <summary>The persisted state of a model grain. Field ids are fixed forever; add new ones at the end.</summary>
[GenerateSerializer, Alias("OrleansML.Serving.ModelState")]
public sealed class ModelState
{
    [Id(0)] public List<ModelVersionInfo> Versions { get; set; } = [];

    [Id(1)] public Dictionary<string, int> Labels { get; set; } = [];

    [Id(2)] public Dictionary<string, int> TrafficSplit { get; set; } = [];

    [Id(3)] public int KeepLatest { get; set; }

    [Id(4)] public BatchingSettings Batching { get; set; } = new();

    [Id(5)] public long Revision { get; set; }

    [Id(6)] public int LastVersion { get; set; }

    [Id(7)] public RolloutInfo? Rollout { get; set; }

    [Id(8)] public ShadowSettings? Shadow { get; set; }

    [Id(9)] public OnnxSessionSettings OnnxSession { get; set; } = new();
}
