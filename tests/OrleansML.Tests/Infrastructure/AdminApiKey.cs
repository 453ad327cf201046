using System.Security.Cryptography;
using OrleansML.Api.Security;

namespace OrleansML.Tests.Infrastructure;

/// <summary>An admin API key for an Api process: the key for clients, its hash for the process's environment.</summary>
public sealed class AdminApiKey
{
    public string Key { get; } = ApiKeySecret.Prefix + RandomNumberGenerator.GetHexString(40);

    /// <summary>Configuration as environment variables: the name, the SHA-256 (never the key) and the admin scope.</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("OrleansML__Auth__ApiKeys__0__Name", "admin"),
        new("OrleansML__Auth__ApiKeys__0__Sha256", ApiKeySecret.Hash(Key)),
        new("OrleansML__Auth__ApiKeys__0__Scopes__0", Scopes.Admin),
    ];

    public HttpClient Authorize(HttpClient client)
    {
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, Key);
        return client;
    }
}
