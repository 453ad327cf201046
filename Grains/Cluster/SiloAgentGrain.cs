using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansML.Errors;
using OrleansML.Placement;
using OrleansML.Serving;
using OrleansML.Torch;

namespace OrleansML.Cluster;

[SiloPinnedPlacement]
[Reentrant]
public sealed class SiloAgentGrain(ILocalSiloDetails silo, TorchDevices devices, ReplicaCache replicas, ModelRoutingTable routing, ServingMetrics metrics, ShadowLedger shadows)
    : Grain, ISiloAgentGrain
{
    public Task<SiloInfo> GetSiloAsync() =>
        Task.FromResult(new SiloInfo(silo.SiloAddress.ToParsableString(), silo.Name, devices.Default.ToString(), devices.All.Count));

    public async Task WarmAsync(ModelInfo model, int version)
    {
        var target = model.Versions.First(v => v.Version == version);
        try
        {
            var replica = await replicas.AcquireAsync(model.Name, target, model.Batching, model.OnnxSession);
            try
            {
                await replica.WarmAsync();
            }
            finally
            {
                replica.Release();
            }
        }
        catch (ModelLoadException exception)
        {
            throw PlatformException.Conflict(exception.Message);
        }
    }

    public Task ApplyRoutingAsync(string model, ModelInfo? modelRouting)
    {
        routing.Apply(model, modelRouting);
        return Task.CompletedTask;
    }

    public Task<LoadedModel[]> GetLoadedModelsAsync() =>
        Task.FromResult(replicas.Loaded().Select(r => new LoadedModel(r.Model, r.Version.Version, r.Device, r.Bytes, r.OnnxSession)).ToArray());

    public Task<ModelStatistics[]> GetStatisticsAsync(string? model) => Task.FromResult(metrics.Statistics.Snapshot(model));

    public Task<ShadowComparison> GetShadowComparisonAsync(string model, ShadowSettings shadow) => Task.FromResult(shadows.Get(model, shadow));
}
