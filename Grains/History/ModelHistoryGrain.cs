using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.History;

/// <summary>
/// A model's history as an append-only log in the platform's grain storage, in chunks of <see cref="ChunkSize"/>
/// entries, each chunk its own storage record (<c>history-0</c>, <c>history-1</c>...), so an append rewrites one
/// chunk and the small head that counts the entries, never the whole history. The chunk is written before the head:
/// the head never counts an entry that is not stored, and an entry written without its head (a failed append) is
/// overwritten by the next append.
/// </summary>
public sealed class ModelHistoryGrain(
    [PersistentState(stateName: "history", storageName: StorageNames.Platform)] IPersistentState<ModelHistoryHead> head,
    [FromKeyedServices(StorageNames.Platform)] IGrainStorage storage) : Grain, IModelHistoryGrain
{
    public const int ChunkSize = 32;

    private GrainState<ModelHistoryChunk> _tail = new(new ModelHistoryChunk());
    private long _tailIndex = -1;

    private long Count => head.State.Count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Count > 0)
        {
            await LoadTailAsync((Count - 1) / ChunkSize);
        }
    }

    public async Task<ModelChange> AppendAsync(ModelChange change)
    {
        var sequence = Count;
        var last = Count > 0 ? Entries(_tail)[(int)((Count - 1) % ChunkSize)].At : DateTimeOffset.MinValue;
        var entry = change with { Sequence = sequence, At = change.At < last ? last : change.At };
        try
        {
            await LoadTailAsync(sequence / ChunkSize);
            var entries = Entries(_tail);
            entries.RemoveRange((int)(sequence % ChunkSize), entries.Count - (int)(sequence % ChunkSize));
            entries.Add(entry);
            await storage.WriteStateAsync(ChunkName(_tailIndex), this.GetGrainId(), _tail);
            head.State.Count = sequence + 1;
            await head.WriteStateAsync();
            return entry;
        }
        catch
        {
            // The tail or the head in memory may be ahead of storage: start again from what is stored.
            DeactivateOnIdle();
            throw;
        }
    }

    public async Task<ModelHistoryPage> ListAsync(int page, int pageSize)
    {
        if (page < 1 || pageSize is < 1 or > ModelHistoryPage.MaxPageSize)
        {
            throw PlatformException.Invalid($"a history page is 1 or more and its size 1 to {ModelHistoryPage.MaxPageSize} (got page {page}, size {pageSize}).");
        }

        var newest = Count - 1 - ((long)page - 1) * pageSize;
        var oldest = Math.Max(0, newest - pageSize + 1);
        var entries = new List<ModelChange>();
        for (var index = newest / ChunkSize; newest >= 0 && index >= oldest / ChunkSize; index--)
        {
            var chunk = await ChunkAsync(index);
            entries.AddRange(chunk.Where(e => e.Sequence >= oldest && e.Sequence <= newest).Reverse());
        }

        return new ModelHistoryPage(entries, page, pageSize, Count);
    }

    public async Task<ModelInfo?> AtAsync(DateTimeOffset at)
    {
        if (Count == 0)
        {
            return null;
        }

        // Entries are in time order: find the last chunk that starts at or before `at`, then the last entry in it.
        long low = 0, high = (Count - 1) / ChunkSize, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if ((await ChunkAsync(middle))[0].At <= at)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found < 0 ? null : (await ChunkAsync(found)).Last(e => e.At <= at).After;
    }

    private async Task LoadTailAsync(long index)
    {
        if (index == _tailIndex)
        {
            return;
        }

        var chunk = new GrainState<ModelHistoryChunk>(new ModelHistoryChunk());
        await storage.ReadStateAsync(ChunkName(index), this.GetGrainId(), chunk);
        _tail = chunk;
        _tailIndex = index;
    }

    /// <summary>The stored entries of chunk <paramref name="index"/> that the head counts.</summary>
    private async Task<IReadOnlyList<ModelChange>> ChunkAsync(long index)
    {
        var chunk = _tail;
        if (index != _tailIndex)
        {
            chunk = new GrainState<ModelHistoryChunk>(new ModelHistoryChunk());
            await storage.ReadStateAsync(ChunkName(index), this.GetGrainId(), chunk);
        }

        return Entries(chunk).Where(e => e.Sequence < Count).ToList();
    }

    private static List<ModelChange> Entries(GrainState<ModelHistoryChunk> chunk) => (chunk.State ??= new ModelHistoryChunk()).Entries;

    private static string ChunkName(long index) => $"history-{index}";
}

/// <summary>How many entries a model's history holds; the entries live in <see cref="ModelHistoryChunk"/> records.</summary>
[GenerateSerializer, Alias("OrleansML.History.ModelHistoryHead")]
public sealed class ModelHistoryHead
{
    [Id(0)] public long Count { get; set; }
}

/// <summary>Up to <see cref="ModelHistoryGrain.ChunkSize"/> consecutive entries of a model's history.</summary>
[GenerateSerializer, Alias("OrleansML.History.ModelHistoryChunk")]
public sealed class ModelHistoryChunk
{
    [Id(0)] public List<ModelChange> Entries { get; set; } = [];
}
