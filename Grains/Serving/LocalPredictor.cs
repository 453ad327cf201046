using System.Diagnostics;
using Orleans.Runtime;
using OrleansML.Errors;
using OrleansML.History;

namespace OrleansML.Serving;

/// <summary>
/// Serves one prediction from this silo's replicas: the model's route picks the version, the request is checked
/// against its signature, and the replica's batcher runs it. <see cref="PredictorGrain"/> is this behind an Orleans
/// call; an Api that hosts the silo in its own process (embedded mode) calls it directly, since a stateless
/// worker called from its own silo runs there anyway, and the grain call would only add a message, a copy of the
/// request's envelope and a scheduler hop to every request.
/// </summary>
public sealed class LocalPredictor(ModelRoutingTable routing, ReplicaCache replicas, ServingMetrics metrics, ShadowMirror shadow,
    ILocalSiloDetails silo, IGrainFactory grains)
{
    public async Task<Prediction> PredictAsync(string name, PredictionRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        ModelVersionInfo? version = null;
        try
        {
            var model = await routing.GetAsync(name, grains);
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
            await grains.GetGrain<IModelGrain>(name).ReportLoadFailureAsync(version!.Version, exception.Message);
            throw PlatformException.Conflict(exception.Message);
        }
        catch
        {
            metrics.Failed(name, version?.Version, started);
            throw;
        }
    }
}
