using OrleansML.History;

namespace OrleansML.Api.Security;

/// <summary>
/// Names the caller of every request in the Orleans request context (<see cref="ChangeActor"/>), so the model
/// changes it causes are recorded with who asked: the credential's name, or <c>anonymous</c> on an open API. The
/// context travels with each grain call, co-hosted or from the Api process as an Orleans client.
/// </summary>
public static class ChangeActorMiddleware
{
    public static IApplicationBuilder UseChangeActor(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        ChangeActor.Set(context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : ChangeActor.Anonymous);
        return next(context);
    });
}
