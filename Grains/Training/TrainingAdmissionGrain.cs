using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansML.Storage;

namespace OrleansML.Training;

/// <summary>
/// Counts the jobs holding a place against <see cref="TrainingOptions.MaxConcurrentJobs"/>. Jobs release their
/// place themselves; when the limit is reached it first asks the holders whether they are still alive, so a place
/// whose release was lost (the job finished while this grain was unreachable, or its start died half-way) is not
/// lost for good.
/// </summary>
public sealed partial class TrainingAdmissionGrain(
    [PersistentState(stateName: "admission", storageName: StorageNames.Platform)] IPersistentState<TrainingAdmissionState> state,
    IOptions<TrainingOptions> options,
    ILogger<TrainingAdmissionGrain> logger) : Grain, ITrainingAdmissionGrain
{
    /// <summary>
    /// How long a holder that has stored no job yet keeps its place: the time a start takes between its admission
    /// and storing the job.
    /// </summary>
    private static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    private Dictionary<string, DateTimeOffset> Jobs => state.State.Jobs;

    public async Task<Admission> AdmitAsync(string jobId)
    {
        var limit = Math.Max(0, options.Value.MaxConcurrentJobs);
        if (Jobs.ContainsKey(jobId))
        {
            return new Admission(true, Jobs.Count, limit);
        }

        if (limit > 0 && Jobs.Count >= limit)
        {
            await DropFinishedAsync();
            if (Jobs.Count >= limit)
            {
                return new Admission(false, Jobs.Count, limit);
            }
        }

        Jobs[jobId] = DateTimeOffset.UtcNow;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            Jobs.Remove(jobId);
            throw;
        }

        return new Admission(true, Jobs.Count, limit);
    }

    public async Task ReleaseAsync(string jobId)
    {
        if (Jobs.Remove(jobId))
        {
            await state.WriteStateAsync();
        }
    }

    private async Task DropFinishedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var holders = Jobs.ToArray();
        var gone = await Task.WhenAll(holders.Select(async holder =>
        {
            try
            {
                var status = await GrainFactory.GetGrain<ITrainingJobGrain>(holder.Key).GetAsync().WaitAsync(ProbeTimeout);
                return status is null ? now - holder.Value > StartGrace : status.IsFinished;
            }
            catch (Exception)
            {
                // A job that cannot answer now (its silo is dying) may resume: it keeps its place.
                return false;
            }
        }));

        var dropped = holders.Where((_, k) => gone[k]).Select(h => h.Key).ToList();
        if (dropped.Count == 0)
        {
            return;
        }

        foreach (var job in dropped)
        {
            Jobs.Remove(job);
        }

        LogDropped(logger, dropped.Count, string.Join(", ", dropped));
        await state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Training admission: {Count} place(s) held by jobs that had finished or never started were given back: {Jobs}")]
    private static partial void LogDropped(ILogger logger, int count, string jobs);
}
