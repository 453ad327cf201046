using Mediator;
using OrleansML.Api.Http;
using OrleansML.Api.Security;

namespace OrleansML.Api.History;

public static class HistoryEndpoints
{
    /// <summary>
    /// <c>GET /api/models/{name}/history</c>. The other half of the feature, <c>GET /api/models/{name}?at=</c>, is the
    /// model endpoint's own (see <see cref="Models.ModelEndpoints"/>).
    /// </summary>
    public static RouteGroupBuilder MapHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").WithTags("Models");

        group.MapGet("/{name}/history", (string name, string? page, string? pageSize, HttpRequest request, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                {
                    var history = await sender.Send(new GetModelHistory(name, HistoryQuery.Page(page), HistoryQuery.PageSize(pageSize)), cancellationToken);
                    return TypedResults.Ok(ModelHistoryView.From(name, history, request));
                }))
            .WithName("GetModelHistory")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Lists a model's changes newest first (page, pageSize 1-200, default 50): when, who, what, and the state before and after.");

        return group;
    }
}
