using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansML.Cluster;
using OrleansML.Api.Security;

namespace OrleansML.Api.Cluster;

public static class ClusterEndpoints
{
    public static RouteGroupBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cluster").WithTags("Cluster");

        group.MapGet("/", async Task<Ok<IReadOnlyList<SiloInfo>>> (ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new GetClusterSilos(), cancellationToken)))
            .WithName("GetClusterSilos")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Lists the active silos, each answered by the OrleansML agent running on it.");

        group.MapGet("/models", async Task<Ok<IReadOnlyList<SiloModels>>> (ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new GetLoadedModels(), cancellationToken)))
            .WithName("GetLoadedModels")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Lists the active silos with the model versions loaded on each: model, version, device and native bytes.");

        return group;
    }
}
