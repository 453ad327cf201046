using System.Collections.Concurrent;
using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>
/// This silo's copy of each model's routing (versions, labels, split, batching, ONNX session settings). Predictors read it without a
/// grain call; the model grain pushes every change to every silo, and a silo that has none yet fetches it once.
/// A copy is replaced only by one with a higher revision, so a late fetch cannot undo a newer push.
/// </summary>
public sealed class ModelRoutingTable(ReplicaCache replicas)
{
    private readonly ConcurrentDictionary<string, ModelInfo> _models = new();

    public async ValueTask<ModelInfo> GetAsync(string model, IGrainFactory grains)
    {
        if (_models.TryGetValue(model, out var known))
        {
            return known;
        }

        var fetched = await grains.GetGrain<IModelGrain>(model).GetAsync()
            ?? throw PlatformException.NotFound($"model '{model}' not found.");
        Apply(model, fetched);
        return _models.TryGetValue(model, out var current) ? current : fetched;
    }

    public void Apply(string model, ModelInfo? routing)
    {
        if (routing is null)
        {
            _models.TryRemove(model, out _);
            replicas.KeepOnly(model, new HashSet<int>());
            return;
        }

        var applied = _models.AddOrUpdate(model, routing, (_, existing) => routing.Revision > existing.Revision ? routing : existing);
        if (applied == routing)
        {
            replicas.KeepOnly(model, RouteSelector.ServingVersions(routing), routing.OnnxSession);
        }
    }
}
