using System.Diagnostics;
using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansML.Errors;
using OrleansML.History;

namespace OrleansML.Serving;

/// <summary>
/// Serves predictions for one model from this silo's replicas. A reentrant stateless worker: activations exist on
/// every silo that takes requests, and each keeps many requests in flight so the replica can batch them.
/// </summary>
[StatelessWorker]
[Reentrant]
[CollectionAgeLimit(Minutes = 2)]
public sealed class PredictorGrain(ModelRoutingTable routing, ReplicaCache replicas, ServingMetrics metrics, ShadowMirror shadow, ILocalSiloDetails silo)
    : Grain, IPredictorGrain
{
    public async Task<Prediction> PredictAsync(PredictionRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var name = ModelOf(this.GetPrimaryKeyString());
        ModelVersionInfo? version = null;
        try
        {
            var model = await routing.GetAsync(name, GrainFactory);
            version = RouteSelector.Select(model, request.Version, request.Label);
            var inputs = SignatureCheck.Conform(version.Signature, request.Inputs);
            SignatureCheck.Outputs(version.Signature, request.Outputs);
            var replica = await replicas.AcquireAsync(name, version, model.Batching, model.OnnxSession);
            TensorData[] outputs;
            try
            {
                outputs = await replica.PredictAsync(inputs);
            }
            finally
            {
                replica.Release();
            }

            shadow.Offer(model, version, request, outputs);
            if (request.Outputs is { } wanted)
            {
                outputs = wanted.Select(output => outputs.First(o => o.Name == output)).ToArray();
            }

            metrics.Served(name, version.Version, version.Signature.IsBatched ? inputs[0].Shape[0] : 1, started);
            return new Prediction(name, version.Version, outputs, silo.SiloAddress.ToParsableString());
        }
        catch (ModelLoadException exception)
        {
            metrics.Failed(name, version?.Version, started);
            // The caller asked for a prediction, not a change: the platform is the one marking the version FAILED.
            ChangeActor.Set(ChangeActor.System);
            await GrainFactory.GetGrain<IModelGrain>(name).ReportLoadFailureAsync(version!.Version, exception.Message);
            throw PlatformException.Conflict(exception.Message);
        }
        catch
        {
            metrics.Failed(name, version?.Version, started);
            throw;
        }
    }

    /// <summary>The model a predictor key names: <c>model</c>, or <c>model/...</c> when a client spreads its calls.</summary>
    public static string ModelOf(string key) => key.Split('/', 2)[0];
}
