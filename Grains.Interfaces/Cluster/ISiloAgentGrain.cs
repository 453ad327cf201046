namespace OrleansML.Cluster;

/// <summary>
/// The OrleansML agent on one silo. Its key is the silo's address (<see cref="SiloInfo.Address"/>), and it is
/// always activated on that silo, so the cluster can address every silo by name: to warm models there, to push
/// routing changes to its replicas, or to run a training worker on it.
/// </summary>
[Alias("OrleansML.Cluster.ISiloAgentGrain")]
public interface ISiloAgentGrain : IGrainWithStringKey
{
    /// <summary>Describes the silo this agent runs on.</summary>
    [Alias("GetSiloAsync")]
    Task<SiloInfo> GetSiloAsync();

    /// <summary>Loads a version into this silo's replica cache and runs a warm-up forward pass.</summary>
    [Alias("WarmAsync")]
    Task WarmAsync(Serving.ModelInfo model, int version);

    /// <summary>Hands this silo's replicas a model's new routing (or null when the model is gone).</summary>
    [Alias("ApplyRoutingAsync")]
    Task ApplyRoutingAsync(string model, Serving.ModelInfo? routing);

    /// <summary>The model versions loaded on this silo.</summary>
    [Alias("GetLoadedModelsAsync")]
    Task<LoadedModel[]> GetLoadedModelsAsync();

    /// <summary>What this silo has served per model version since it started (one model's, or every model's when null).</summary>
    [Alias("GetStatisticsAsync")]
    Task<Serving.ModelStatistics[]> GetStatisticsAsync(string? model);

    /// <summary>How <paramref name="model"/>'s shadow <paramref name="shadow"/> compared on this silo.</summary>
    [Alias("GetShadowComparisonAsync")]
    Task<Serving.ShadowComparison> GetShadowComparisonAsync(string model, Serving.ShadowSettings shadow);
}

/// <summary>
/// A model version loaded on one silo, its device and native size; for an ONNX version, the settings its session
/// was opened with (read back from ONNX Runtime's session options, automatic threads resolved).
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Cluster.LoadedModel")]
public sealed record LoadedModel(
    [property: Id(0)] string Model,
    [property: Id(1)] int Version,
    [property: Id(2)] string Device,
    [property: Id(3)] long Bytes,
    [property: Id(4)] Serving.OnnxSessionSettings? OnnxSession = null);
