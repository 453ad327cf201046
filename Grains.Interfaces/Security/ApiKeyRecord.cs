namespace OrleansML.Security;

/// <summary>
/// An API key as the platform keeps it: its name, the SHA-256 of the secret (never the secret), the scopes it grants
/// (<c>predict</c>, <c>train</c>, <c>admin</c>) and its own request rate, if it has one.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Security.ApiKeyRecord")]
public sealed record ApiKeyRecord(
    [property: Id(0)] string Name,
    [property: Id(1)] string Sha256,
    [property: Id(2)] string[] Scopes,
    [property: Id(3)] double? RequestsPerSecond,
    [property: Id(4)] DateTimeOffset Created);
