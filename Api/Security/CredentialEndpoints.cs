using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace OrleansML.Api.Security;

public static class CredentialEndpoints
{
    /// <summary>
    /// <c>GET /api/auth/me</c>: whether the API requires a credential, which kinds it takes, and the scopes of the one
    /// this request carries. Anonymous, so a client (the web console) can ask before it signs in; it names the
    /// credential and its scopes, nothing else (no key, hash or token claim beyond those).
    /// </summary>
    public static RouteHandlerBuilder MapCredentialEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/auth/me", async Task<Results<Ok<CredentialView>, ProblemHttpResult>> (HttpContext context, SecurityMode mode, IOptions<AuthOptions> auth) =>
            {
                var schemes = new[] { ApiKeyAuthenticationHandler.SchemeName }.Concat(auth.Value.Jwt.IsConfigured ? ["Bearer"] : Array.Empty<string>()).ToArray();
                if (mode.Open)
                {
                    return TypedResults.Ok(new CredentialView(AuthRequired: false, Authenticated: false, Name: null, Scopes.All, []));
                }

                // The endpoint is anonymous, so a credential that does not authenticate is not challenged by the
                // framework: say here that it was refused, as a protected endpoint would.
                var result = await context.AuthenticateAsync();
                if (result.Failure is { } failure)
                {
                    return TypedResults.Problem(detail: failure.Message, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
                }

                var user = result.Principal;
                return user?.Identity is { IsAuthenticated: true } identity
                    ? TypedResults.Ok(new CredentialView(true, true, identity.Name, Scopes.All.Where(s => ScopeClaims.Grants(user, s)).ToArray(), schemes))
                    : TypedResults.Ok(new CredentialView(true, false, null, [], schemes));
            })
            .AllowAnonymous()
            .WithTags("API keys")
            .WithName("GetCredential")
            .WithSummary("Whether the API requires a credential, and the name and scopes of the one this request carries (401 when it is not valid).");
}

/// <summary>
/// What <c>GET /api/auth/me</c> answers: <see cref="AuthRequired"/> false when the API runs open (every scope is then
/// granted to anyone); otherwise whether this request's credential authenticated, its name and the scopes it holds
/// (admin implies the others), and the credential kinds the API takes (<c>ApiKey</c>, <c>Bearer</c>).
/// </summary>
public sealed record CredentialView(bool AuthRequired, bool Authenticated, string? Name, string[] Scopes, string[] Schemes);
