using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Datasets;

public sealed class DatasetGrain(
    [PersistentState(stateName: "dataset", storageName: StorageNames.Platform)] IPersistentState<DatasetState> state,
    IArtifactStore artifacts) : Grain, IDatasetGrain
{
    public Task<DatasetInfo?> GetAsync() => Task.FromResult(state.State.Dataset);

    public async Task<DatasetInfo> RegisterAsync(DatasetInfo dataset)
    {
        ResourceNames.Validate(this.GetPrimaryKeyString(), "dataset");
        if (dataset.Name != this.GetPrimaryKeyString())
        {
            throw PlatformException.Invalid($"dataset '{dataset.Name}' cannot be registered as '{this.GetPrimaryKeyString()}'.");
        }

        var previous = state.State.Dataset;
        state.State.Dataset = dataset;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IDatasetCatalogGrain>(0).AddAsync(dataset.Name);
        if (previous is not null && previous.StoragePrefix != dataset.StoragePrefix)
        {
            // A running job may still read the old upload; partitions are immutable, so deleting them is the only risk,
            // and a replaced dataset's old rows are no longer what its name means.
            for (var i = 0; i < previous.PartitionCount; i++)
            {
                await artifacts.DeleteAsync(previous.PartitionKey(i));
            }
        }

        return dataset;
    }
}

[GenerateSerializer, Alias("OrleansML.Datasets.DatasetState")]
public sealed class DatasetState
{
    [Id(0)] public DatasetInfo? Dataset { get; set; }
}
