using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OrleansML.Security;

namespace OrleansML.Api.Security;

/// <summary>
/// Finds the key a secret belongs to: configured keys first, then the cluster's registry. Registry answers are
/// cached briefly per API instance so a prediction does not cost a grain call; a key revoked through another
/// instance stops working there within <see cref="CacheDuration"/>, through this one at once.
/// </summary>
public sealed class ApiKeyDirectory(IOptions<AuthOptions> options, IClusterClient client, IMemoryCache cache)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, ApiKeyRecord> _configured = options.Value.ApiKeys.ToDictionary(
        k => k.Sha256.ToLowerInvariant(),
        k => new ApiKeyRecord(k.Name, k.Sha256.ToLowerInvariant(), [.. k.Scopes], k.RequestsPerSecond, DateTimeOffset.MinValue));

    public bool IsConfiguredName(string name) => _configured.Values.Any(k => k.Name == name);

    public async ValueTask<ApiKeyRecord?> FindAsync(string secret)
    {
        var hash = ApiKeySecret.Hash(secret);
        if (_configured.TryGetValue(hash, out var configured))
        {
            return configured;
        }

        if (cache.TryGetValue(CacheKey(hash), out ApiKeyRecord? cached))
        {
            return cached;
        }

        var found = await client.GetGrain<IApiKeyRegistryGrain>(0).FindAsync(hash);
        cache.Set(CacheKey(hash), found, CacheDuration);
        return found;
    }

    /// <summary>Forgets a cached answer, so a key created or revoked through this instance takes effect at once.</summary>
    public void Forget(string sha256) => cache.Remove(CacheKey(sha256));

    private static string CacheKey(string hash) => "orleansml:apikey:" + hash;
}
