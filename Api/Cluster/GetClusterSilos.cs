using Mediator;
using OrleansML.Cluster;

namespace OrleansML.Api.Cluster;

public sealed record GetClusterSilos : IRequest<IReadOnlyList<SiloInfo>>;

public sealed class GetClusterSilosHandler(IClusterClient client) : IRequestHandler<GetClusterSilos, IReadOnlyList<SiloInfo>>
{
    public async ValueTask<IReadOnlyList<SiloInfo>> Handle(GetClusterSilos request, CancellationToken cancellationToken)
    {
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var silos = await Task.WhenAll(hosts.Keys.Select(address =>
            client.GetGrain<ISiloAgentGrain>(address.ToParsableString()).GetSiloAsync()));
        return silos.OrderBy(s => s.Address, StringComparer.Ordinal).ToArray();
    }
}
