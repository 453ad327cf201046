using Orleans.Concurrency;
using OrleansML.Serving;

namespace OrleansML.History;

/// <summary>
/// The durable, append-only change log of one model (keyed by the model's name). The model grain appends an entry
/// after each change it has persisted; entries are never changed or removed.
/// </summary>
[Alias("OrleansML.History.IModelHistoryGrain")]
public interface IModelHistoryGrain : IGrainWithStringKey
{
    /// <summary>Appends <paramref name="change"/>, numbering it and keeping <see cref="ModelChange.At"/> in order.</summary>
    [Alias("AppendAsync")]
    Task<ModelChange> AppendAsync(ModelChange change);

    /// <summary>Page <paramref name="page"/> (1-based) of the entries, newest first.</summary>
    [Alias("ListAsync"), ReadOnly]
    Task<ModelHistoryPage> ListAsync(int page, int pageSize);

    /// <summary>The model as it was at <paramref name="at"/>: the state after the last change made at or before it; null if none was.</summary>
    [Alias("AtAsync"), ReadOnly]
    Task<ModelInfo?> AtAsync(DateTimeOffset at);
}
