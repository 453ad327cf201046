using Mediator;
using OrleansML.Cluster;

namespace OrleansML.Api.Cluster;

/// <summary>Every active silo with the model versions loaded on it, their device and native memory.</summary>
public sealed record GetLoadedModels : IRequest<IReadOnlyList<SiloModels>>;

/// <summary>A silo (address, host name, first device, device count) and the versions its replica cache holds.</summary>
public sealed record SiloModels(string Address, string Name, string Device, int Devices, IReadOnlyList<LoadedModel> Loaded);

public sealed class GetLoadedModelsHandler(IClusterClient client) : IRequestHandler<GetLoadedModels, IReadOnlyList<SiloModels>>
{
    public async ValueTask<IReadOnlyList<SiloModels>> Handle(GetLoadedModels request, CancellationToken cancellationToken)
    {
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = await Task.WhenAll(hosts.Keys.Select(async address =>
        {
            var agent = client.GetGrain<ISiloAgentGrain>(address.ToParsableString());
            var (silo, loaded) = (await agent.GetSiloAsync(), await agent.GetLoadedModelsAsync());
            return new SiloModels(silo.Address, silo.Name, silo.Device, silo.Devices,
                loaded.OrderBy(m => m.Model, StringComparer.Ordinal).ThenBy(m => m.Version).ToArray());
        }));
        return silos.OrderBy(s => s.Address, StringComparer.Ordinal).ToArray();
    }
}
