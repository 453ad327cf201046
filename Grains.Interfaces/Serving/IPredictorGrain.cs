namespace OrleansML.Serving;

/// <summary>
/// The data plane of one model, keyed by its name, or by <c>name/anything</c> to spread one client's calls over
/// several gateways: a stateless worker, so every silo runs local replicas that share that silo's cache of loaded
/// models and coalesce concurrent requests into batches.
/// </summary>
[Alias("OrleansML.Serving.IPredictorGrain")]
public interface IPredictorGrain : IGrainWithStringKey
{
    [Alias("PredictAsync")]
    Task<Prediction> PredictAsync(PredictionRequest request);
}
