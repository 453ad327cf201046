using Mediator;
using OrleansML.Api.Http;
using OrleansML.Api.Security;

namespace OrleansML.Api.Shadow;

/// <summary>Shadow traffic: <c>/api/models/{name}/shadow</c>, under the models' tag.</summary>
public static class ShadowEndpoints
{
    public static RouteGroupBuilder MapShadowEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").WithTags("Models");

        group.MapPut("/{name}/shadow", (string name, ShadowBody body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new SetShadow(name, body.Version, body.Percent), cancellationToken))))
            .WithName("SetShadow")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Mirrors {\"version\", \"percent\"} of the requests other versions answer to that version, off the response path, and compares its outputs.");

        group.MapGet("/{name}/shadow", (string name, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new GetShadow(name), cancellationToken))))
            .WithName("GetShadow")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("The shadow and how it compares, over every silo: requests mirrored, dropped and failed, argmax agreement, absolute differences, latency.");

        group.MapDelete("/{name}/shadow", (string name, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new SetShadow(name, null, null), cancellationToken))))
            .WithName("StopShadow")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Stops the shadow.");

        return group;
    }
}
