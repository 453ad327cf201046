using OrleansML.Errors;
using OrleansML.Storage;

namespace OrleansML.Security;

public sealed class ApiKeyRegistryGrain(
    [PersistentState(stateName: "apikeys", storageName: StorageNames.Platform)] IPersistentState<ApiKeyRegistryState> state)
    : Grain, IApiKeyRegistryGrain
{
    public async Task<ApiKeyRecord> AddAsync(ApiKeyRecord key)
    {
        if (state.State.Keys.Any(k => k.Name == key.Name))
        {
            throw PlatformException.Conflict($"an API key named '{key.Name}' already exists.");
        }

        state.State.Keys.Add(key);
        await state.WriteStateAsync();
        return key;
    }

    public Task<ApiKeyRecord?> FindAsync(string sha256) =>
        Task.FromResult(state.State.Keys.FirstOrDefault(k => string.Equals(k.Sha256, sha256, StringComparison.Ordinal)));

    public Task<ApiKeyRecord[]> ListAsync() =>
        Task.FromResult(state.State.Keys.OrderBy(k => k.Name, StringComparer.Ordinal).ToArray());

    public async Task<ApiKeyRecord> RevokeAsync(string name)
    {
        var key = state.State.Keys.FirstOrDefault(k => k.Name == name)
            ?? throw PlatformException.NotFound($"API key '{name}' not found.");
        state.State.Keys.Remove(key);
        await state.WriteStateAsync();
        return key;
    }
}

[GenerateSerializer, Alias("OrleansML.Security.ApiKeyRegistryState")]
public sealed class ApiKeyRegistryState
{
    [Id(0)] public List<ApiKeyRecord> Keys { get; set; } = [];
}
