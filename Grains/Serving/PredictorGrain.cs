using Orleans.Concurrency;

namespace OrleansML.Serving;

/// <summary>
/// Serves predictions for one model from this silo's replicas (<see cref="LocalPredictor"/>). A reentrant stateless
/// worker: activations exist on every silo that takes requests, and each keeps many requests in flight so the
/// replica can batch them.
/// </summary>
[StatelessWorker]
[Reentrant]
[CollectionAgeLimit(Minutes = 2)]
public sealed class PredictorGrain(LocalPredictor predictor) : Grain, IPredictorGrain
{
    public Task<Prediction> PredictAsync(PredictionRequest request) => predictor.PredictAsync(ModelOf(this.GetPrimaryKeyString()), request);

    /// <summary>The model a predictor key names: <c>model</c>, or <c>model/...</c> when a client spreads its calls.</summary>
    public static string ModelOf(string key) => key.Split('/', 2)[0];
}
