using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Datasets;

public sealed class DatasetGrain(
    [PersistentState(stateName: "dataset", storageName: StorageNames.Platform)] IPersistentState<DatasetState> state,
    IDatasetStore datasets) : Grain, IDatasetGrain
{
    public Task<DatasetInfo?> GetAsync() => Task.FromResult(state.State.Dataset);

    public async Task<DatasetInfo> RegisterAsync(DatasetInfo dataset)
    {
        ResourceNames.Validate(this.GetPrimaryKeyString(), "dataset");
        if (state.State.ReservedBy is { } owner)
        {
            throw PlatformException.Conflict($"dataset '{dataset.Name}' is being written by job '{owner}'.");
        }

        return await StoreAsync(dataset);
    }

    public async Task ReserveAsync(string owner)
    {
        var name = ResourceNames.Validate(this.GetPrimaryKeyString(), "dataset");
        if (state.State.Dataset is not null)
        {
            throw PlatformException.Conflict($"dataset '{name}' already exists; pick another output dataset name.");
        }

        if (state.State.ReservedBy is { } holder && holder != owner)
        {
            throw PlatformException.Conflict($"dataset '{name}' is already being written by job '{holder}'.");
        }

        state.State.ReservedBy = owner;
        await state.WriteStateAsync();
    }

    public async Task<DatasetInfo> RegisterReservedAsync(string owner, DatasetInfo dataset)
    {
        if (state.State.ReservedBy != owner)
        {
            throw PlatformException.Conflict($"dataset '{this.GetPrimaryKeyString()}' is not reserved by job '{owner}'.");
        }

        state.State.ReservedBy = null;
        return await StoreAsync(dataset);
    }

    public async Task ReleaseAsync(string owner)
    {
        if (state.State.ReservedBy == owner)
        {
            state.State.ReservedBy = null;
            await state.WriteStateAsync();
        }
    }

    private async Task<DatasetInfo> StoreAsync(DatasetInfo dataset)
    {
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
                await datasets.DeleteAsync(previous.PartitionKey(i));
            }
        }

        return dataset;
    }
}

[GenerateSerializer, Alias("OrleansML.Datasets.DatasetState")]
public sealed class DatasetState
{
    [Id(0)] public DatasetInfo? Dataset { get; set; }

    /// <summary>The job writing this dataset, while it runs.</summary>
    [Id(1)] public string? ReservedBy { get; set; }
}
