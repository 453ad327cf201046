using Microsoft.Extensions.Logging;
using OrleansML.Serving;

namespace OrleansML.History;

/// <summary>
/// The model grain's side of its history (one per activation): remembers the last recorded snapshot and appends
/// each committed change to <see cref="IModelHistoryGrain"/> with who asked for it. The append follows the state
/// write; when it fails the change stands, the entry is lost and a warning says so.
/// </summary>
public sealed partial class ModelHistoryRecorder(IGrainFactory grains, TimeProvider clock, ILogger<ModelHistoryRecorder> logger)
{
    private ModelInfo? _recorded;

    /// <summary>Starts from the model as stored when its grain activates (null if it does not exist yet).</summary>
    public void Start(ModelInfo? stored) => _recorded = stored;

    /// <summary>Records the change from the last recorded snapshot to <paramref name="committed"/>.</summary>
    public async Task RecordAsync(ModelInfo committed)
    {
        if (ModelChanges.IsTransient(committed))
        {
            return;
        }

        var change = new ModelChange
        {
            At = clock.GetUtcNow(),
            Actor = ChangeActor.Current,
            Changes = ModelChanges.Describe(_recorded, committed),
            Before = _recorded,
            After = committed,
        };
        _recorded = committed;
        try
        {
            await grains.GetGrain<IModelHistoryGrain>(committed.Name).AppendAsync(change);
        }
        catch (Exception exception)
        {
            LogAppendFailed(exception, committed.Name, committed.Revision, change.Actor, string.Join("; ", change.Changes));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} revision {Revision} by {Actor} is committed, but its history entry could not be stored: {Changes}")]
    private partial void LogAppendFailed(Exception exception, string model, long revision, string actor, string changes);
}
