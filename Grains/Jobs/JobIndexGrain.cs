using OrleansML.Storage;

namespace OrleansML.Jobs;

/// <summary>One kind's job index, stored as one grain state: a few thousand small rows, written on state changes only.</summary>
public sealed class JobIndexGrain(
    [PersistentState(stateName: "jobs", storageName: StorageNames.Platform)] IPersistentState<JobIndexState> state) : Grain, IJobIndexGrain
{
    // Wraps the state's rows on each call: the state is read at activation, after construction.
    private JobIndex Index => new(state.State.Rows);

    public async Task RecordAsync(JobRow row)
    {
        if (Index.Record(row, DateTimeOffset.UtcNow))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<JobPage> ListAsync(JobQuery query) => Task.FromResult(Index.Query(query));
}

[GenerateSerializer, Alias("OrleansML.Jobs.JobIndexState")]
public sealed class JobIndexState
{
    [Id(0)] public Dictionary<string, JobRow> Rows { get; set; } = [];
}
