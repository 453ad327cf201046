using Mediator;
using OrleansML.Api.Http;
using OrleansML.Api.Security;

namespace OrleansML.Api.Models.Rollouts;

/// <summary>Progressive rollouts of a model: start one, watch its step and figures, abort it.</summary>
public static class RolloutEndpoints
{
    public static RouteGroupBuilder MapRollouts(this RouteGroupBuilder models)
    {
        models.MapPost("/{name}/rollouts", (string name, RolloutBody body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                    TypedResults.Created($"/api/models/{name}/rollouts", await sender.Send(new StartRollout(name, body.ToSpec()), cancellationToken))))
            .WithName("StartRollout")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Starts a progressive rollout: {candidate, baseline?, steps?, stepDurationSeconds?, maxErrorRate?, maxP99Ratio?, minRequests?}; 409 while one runs.");

        models.MapGet("/{name}/rollouts", (string name, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new GetRollout(name), cancellationToken))))
            .WithName("GetRollout")
            .RequireAuthorization(Scopes.Predict)
            .WithSummary("Gets the current or last rollout: step, share, the step's figures, the decision and its reason.");

        models.MapDelete("/{name}/rollouts", (string name, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new AbortRollout(name), cancellationToken))))
            .WithName("AbortRollout")
            .RequireAuthorization(Scopes.Admin)
            .WithSummary("Aborts the running rollout; every unaddressed request goes back to the baseline at once.");
        return models;
    }
}
