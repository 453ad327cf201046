using System.Text.Json.Serialization;

namespace OrleansML.Serving;

/// <summary>
/// How a model's ONNX versions open their ONNX Runtime sessions. <see cref="IntraOpThreads"/> 0 sizes them from the
/// silo (<c>OrleansML:Serving:OnnxIntraOpThreads</c>, else its cores shared by its loaded versions); more than one
/// <see cref="InterOpThreads"/> runs independent graph branches in parallel. TorchScript versions ignore them.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.OnnxSessionSettings")]
public sealed record OnnxSessionSettings(
    [property: Id(0)] int IntraOpThreads = 0,
    [property: Id(1)] int InterOpThreads = 1,
    [property: Id(2)] GraphOptimization GraphOptimization = GraphOptimization.All)
{
    public const int MaxThreads = 64;

    /// <summary>The first field out of its range, said as the API names it; null when all are valid.</summary>
    public string? Problem() =>
        IntraOpThreads is < 0 or > MaxThreads ? $"intraOpThreads must be 0 (automatic) to {MaxThreads} (got {IntraOpThreads})."
        : InterOpThreads is < 1 or > MaxThreads ? $"interOpThreads must be 1 to {MaxThreads} (got {InterOpThreads})."
        : !Enum.IsDefined(GraphOptimization) ? $"graphOptimization must be disabled, basic, extended or all (got {(int)GraphOptimization})."
        : null;
}

/// <summary>ONNX Runtime's graph optimization levels.</summary>
[GenerateSerializer, Alias("OrleansML.Serving.GraphOptimization")]
public enum GraphOptimization
{
    [JsonStringEnumMemberName("disabled")] Disabled,
    [JsonStringEnumMemberName("basic")] Basic,
    [JsonStringEnumMemberName("extended")] Extended,
    [JsonStringEnumMemberName("all")] All,
}
