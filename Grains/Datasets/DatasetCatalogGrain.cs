using OrleansML.Storage;

namespace OrleansML.Datasets;

public sealed class DatasetCatalogGrain(
    [PersistentState(stateName: "datasets", storageName: StorageNames.Platform)] IPersistentState<DatasetCatalogState> state)
    : Grain, IDatasetCatalogGrain
{
    public async Task AddAsync(string name)
    {
        if (state.State.Names.Add(name))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<string[]> ListAsync() => Task.FromResult(state.State.Names.Order(StringComparer.Ordinal).ToArray());
}

[GenerateSerializer, Alias("OrleansML.Datasets.DatasetCatalogState")]
public sealed class DatasetCatalogState
{
    [Id(0)] public HashSet<string> Names { get; set; } = [];
}
