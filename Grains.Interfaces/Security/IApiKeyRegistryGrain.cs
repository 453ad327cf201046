namespace OrleansML.Security;

/// <summary>
/// The API keys created through the admin endpoint (key 0). It holds only hashes: the API generates a key, shows it
/// once, and registers its SHA-256 here; every API instance looks keys up by that hash.
/// </summary>
[Alias("OrleansML.Security.IApiKeyRegistryGrain")]
public interface IApiKeyRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers a key; refused with a conflict when the name is taken.</summary>
    [Alias("AddAsync")]
    Task<ApiKeyRecord> AddAsync(ApiKeyRecord key);

    /// <summary>The key whose secret hashes to <paramref name="sha256"/>, or null.</summary>
    [Alias("FindAsync")]
    Task<ApiKeyRecord?> FindAsync(string sha256);

    /// <summary>Every registered key, by name.</summary>
    [Alias("ListAsync")]
    Task<ApiKeyRecord[]> ListAsync();

    /// <summary>Revokes a key; not found when there is none by that name.</summary>
    [Alias("RevokeAsync")]
    Task<ApiKeyRecord> RevokeAsync(string name);
}
