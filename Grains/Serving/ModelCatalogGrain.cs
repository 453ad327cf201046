using OrleansML.Storage;

namespace OrleansML.Serving;

/// <summary>The persisted list of model names behind <c>GET /api/models</c> and the KServe repository index.</summary>
public sealed class ModelCatalogGrain(
    [PersistentState(stateName: "catalog", storageName: StorageNames.Platform)] IPersistentState<ModelCatalogState> state)
    : Grain, IModelCatalogGrain
{
    public async Task AddAsync(string model)
    {
        var index = state.State.Models.BinarySearch(model, StringComparer.Ordinal);
        if (index < 0)
        {
            state.State.Models.Insert(~index, model);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Models.ToArray());
}

/// <summary>The catalog's persisted state. Field ids are fixed forever; add new ones at the end.</summary>
[GenerateSerializer, Alias("OrleansML.Serving.ModelCatalogState")]
public sealed class ModelCatalogState
{
    /// <summary>Kept in ordinal order.</summary>
    [Id(0)] public List<string> Models { get; set; } = [];
}
