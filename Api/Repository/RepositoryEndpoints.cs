using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using OrleansML.Api.Security;
using OrleansML.Repository;

namespace OrleansML.Api.Repository;

public static class RepositoryEndpoints
{
    /// <summary><c>GET /api/repository</c>: the watched model repository as the poller last saw it.</summary>
    public static RouteGroupBuilder MapRepositoryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/repository").WithTags("Repository");

        group.MapGet("/", async Task<Ok<RepositoryStatus>> (ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new GetRepositoryStatus(), cancellationToken)))
            .WithName("GetRepositoryStatus")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Shows the watched model repository (OrleansML:Repository:Url): each model folder's versions (IMPORTED, FAILED with the reason, KEPT, RETIRED), its config.json, the entries that are not versions, and when it was last polled.");

        return group;
    }
}
