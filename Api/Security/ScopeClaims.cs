using System.Security.Claims;

namespace OrleansML.Api.Security;

/// <summary>Reads the scopes a principal was granted, whether from an API key or a JWT.</summary>
public static class ScopeClaims
{
    public const string Scope = "scope";

    // OAuth 2 access tokens carry "scope" (RFC 8693) or "scp" as one space-separated string; identity providers
    // that grant roles instead put them in "roles" or "role".
    private static readonly string[] ClaimTypesRead = [Scope, "scp", "roles", "role", ClaimTypes.Role];

    public static bool Grants(ClaimsPrincipal user, string scope) =>
        user.Claims
            .Where(c => ClaimTypesRead.Contains(c.Type, StringComparer.Ordinal))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(granted => granted == scope || granted == Scopes.Admin);
}
