using Mediator;
using OrleansML.Api.Models;
using OrleansML.Cluster;
using OrleansML.Errors;
using OrleansML.Serving;

namespace OrleansML.Api.KServe;

/// <summary>
/// What every version of one model (or of every model) has served, summed over every live silo: the figures of
/// the V2 statistics extension, for REST and gRPC alike. A version that has served nothing reports zeros.
/// </summary>
public sealed record GetModelStatistics(string? Model, int? Version = null) : IRequest<IReadOnlyList<ModelStatistics>>;

public sealed class GetModelStatisticsHandler(IClusterClient client, ISender sender) : IRequestHandler<GetModelStatistics, IReadOnlyList<ModelStatistics>>
{
    public async ValueTask<IReadOnlyList<ModelStatistics>> Handle(GetModelStatistics request, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelInfo> models = request.Model is null
            ? await sender.Send(new ListModels(), cancellationToken)
            : [await sender.Send(new GetModel(request.Model), cancellationToken)];
        if (request.Version is { } number && models[0].Versions.All(v => v.Version != number))
        {
            throw PlatformException.NotFound($"version {number} of model '{request.Model}' not found.");
        }

        var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var perSilo = await Task.WhenAll(hosts.Keys.Select(address =>
            client.GetGrain<ISiloAgentGrain>(address.ToParsableString()).GetStatisticsAsync(request.Model)));
        var served = perSilo.SelectMany(s => s)
            .GroupBy(s => (s.Model, s.Version))
            .ToDictionary(g => g.Key, g => g.Aggregate((a, b) => a.Add(b)));
        return models
            .SelectMany(m => m.Versions.Where(v => request.Version is null || v.Version == request.Version).Select(v =>
                served.GetValueOrDefault((m.Name, v.Version)) ?? new ModelStatistics { Model = m.Name, Version = v.Version }))
            .ToArray();
    }
}
