namespace OrleansML.Api.Security;

/// <summary>
/// Per-credential request rate (<c>OrleansML:RateLimiting</c>): a token bucket per API key or JWT subject; a request
/// over it is answered 429 with Retry-After. Anonymous requests (the open development mode, health) are not limited.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "OrleansML:RateLimiting";

    /// <summary>Sustained requests per second per credential; 0 turns the limit off.</summary>
    public double RequestsPerSecond { get; set; } = 1000;

    /// <summary>Requests a credential may send at once above its rate, in seconds of that rate.</summary>
    public double BurstSeconds { get; set; } = 1;
}
