using Mediator;
using OrleansML.Api.Http;

namespace OrleansML.Api.Security;

public static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth/keys").WithTags("API keys").RequireAuthorization(Scopes.Admin);

        group.MapPost("/", (CreateApiKeyBody body, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () =>
                {
                    var key = await sender.Send(new CreateApiKey(body.Name, body.Scopes, body.RequestsPerSecond), cancellationToken);
                    return TypedResults.Created($"/api/auth/keys/{key.Name}", key);
                }))
            .WithName("CreateApiKey")
            .WithSummary("Creates an API key with scopes (predict, train, admin); the key is in this answer only, the platform keeps its SHA-256.");

        group.MapGet("/", async (ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new ListApiKeys(), cancellationToken)))
            .WithName("ListApiKeys")
            .WithSummary("Lists the keys created through this endpoint: names, scopes and rates, never secrets.");

        group.MapDelete("/{name}", (string name, ISender sender, CancellationToken cancellationToken) =>
                ApiErrors.TryNative(async () => TypedResults.Ok(await sender.Send(new RevokeApiKey(name), cancellationToken))))
            .WithName("RevokeApiKey")
            .WithSummary("Revokes a key: at once on this API instance, within 5 s on the others.");

        return group;
    }
}
