using Mediator;
using OrleansML.Api.Models;
using OrleansML.Cluster;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.Shadow;

/// <summary>A model's shadow setting and how its outputs compared, summed over every live silo.</summary>
public sealed record GetShadow(string Name) : IRequest<ShadowView>;

/// <summary>The shadow as the API shows it: the setting, the comparison figures and the shadow's latency.</summary>
public sealed record ShadowView(
    string Model,
    int Version,
    double Percent,
    DateTimeOffset Since,
    long Mirrored,
    long Dropped,
    long Failed,
    long Compared,
    long RowsCompared,
    double? ArgmaxAgreement,
    double? MeanAbsDifference,
    double MaxAbsDifference,
    double? MeanShadowMilliseconds,
    double MaxShadowMilliseconds)
{
    public static ShadowView From(string model, ShadowSettings shadow, ShadowComparison c) => new(
        model, shadow.Version, shadow.Percent, shadow.Since, c.Mirrored, c.Dropped, c.Failed, c.Compared, c.RowsCompared,
        c.ArgmaxAgreement, c.MeanAbsDifference, c.MaxAbsDifference, c.MeanShadowMilliseconds, c.ShadowMillisecondsMax);
}

public sealed class GetShadowHandler(IClusterClient client, ISender sender) : IRequestHandler<GetShadow, ShadowView>
{
    public async ValueTask<ShadowView> Handle(GetShadow request, CancellationToken cancellationToken)
    {
        var model = await sender.Send(new GetModel(request.Name), cancellationToken);
        var shadow = model.Shadow
            ?? throw PlatformException.NotFound($"model '{request.Name}' has no shadow; PUT /api/models/{request.Name}/shadow sets one.");
        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var perSilo = await Task.WhenAll(hosts.Keys.Select(address =>
            client.GetGrain<ISiloAgentGrain>(address.ToParsableString()).GetShadowComparisonAsync(model.Name, shadow)));
        return ShadowView.From(model.Name, shadow, perSilo.Aggregate(new ShadowComparison(), (sum, silo) => sum.Add(silo)));
    }
}
