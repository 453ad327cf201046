namespace OrleansML.Api.Security;

/// <summary>
/// Who may call the API (<c>OrleansML:Auth</c>): API keys configured by their SHA-256, keys created through the admin
/// endpoint, and JWT bearer tokens. Without any of them the API runs open only in the embedded Development loop or
/// with <see cref="AllowAnonymous"/>; anywhere else it refuses to start.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "OrleansML:Auth";

    /// <summary>Runs the API without authentication outside the embedded Development loop, on purpose.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Keys given in configuration, each by its name, SHA-256 (hex) and scopes.</summary>
    public List<ConfiguredApiKey> ApiKeys { get; set; } = [];

    /// <summary>JWT bearer validation: an OpenID Connect authority, or a shared signing key.</summary>
    public JwtSettings Jwt { get; set; } = new();

    public bool HasCredentials => ApiKeys.Count > 0 || Jwt.IsConfigured;
}

/// <summary>An API key from configuration. Only its hash is configured: <c>printf %s "$KEY" | sha256sum</c>.</summary>
public sealed class ConfiguredApiKey
{
    public string Name { get; set; } = "";

    /// <summary>SHA-256 of the key, 64 hex digits.</summary>
    public string Sha256 { get; set; } = "";

    public List<string> Scopes { get; set; } = [];

    /// <summary>This key's request rate, overriding <see cref="RateLimitOptions.RequestsPerSecond"/>.</summary>
    public double? RequestsPerSecond { get; set; }
}

/// <summary>
/// JWT bearer settings. With <see cref="Authority"/> the signing keys come from its OpenID Connect discovery document;
/// with <see cref="SigningKey"/> tokens are HMAC-signed with a shared secret. Scopes come from the <c>scope</c> or
/// <c>scp</c> claim (space separated) or from <c>roles</c>.
/// </summary>
public sealed class JwtSettings
{
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    public string? Issuer { get; set; }

    /// <summary>HMAC-SHA256 secret (at least 32 bytes) for tokens issued by a party that shares it.</summary>
    public string? SigningKey { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);
}
