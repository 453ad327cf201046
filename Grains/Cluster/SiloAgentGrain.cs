using Orleans.Concurrency;
using Orleans.Runtime;
using OrleansML.Placement;
using OrleansML.Torch;

namespace OrleansML.Cluster;

[SiloPinnedPlacement]
[Reentrant]
public sealed class SiloAgentGrain(ILocalSiloDetails silo, TorchDevices devices) : Grain, ISiloAgentGrain
{
    public Task<SiloInfo> GetSiloAsync() =>
        Task.FromResult(new SiloInfo(silo.SiloAddress.ToParsableString(), silo.Name, devices.Default.ToString()));
}
