using Microsoft.Extensions.Logging;

namespace OrleansML.Jobs;

/// <summary>How a coordinator records its job in the index: one call per change, never failing the job.</summary>
public static partial class JobIndexing
{
    /// <summary>How long a coordinator waits for the index: a silo that died under it must not hold up the job.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Records <paramref name="row"/>. A failure or a slow answer is logged, not thrown: the job is what matters, its
    /// state is already stored, and the next change records the row again (the index never moves a row backwards,
    /// so a late write cannot undo a newer one).
    /// </summary>
    public static async Task IndexJobAsync(this IGrainFactory grains, JobKind kind, JobRow row, ILogger logger)
    {
        try
        {
            await grains.GetJobIndex(kind).RecordAsync(row).WaitAsync(Timeout);
        }
        catch (Exception exception)
        {
            LogNotIndexed(logger, exception, kind, row.Id, row.State);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} job {Job} could not be recorded as {State} in the job index")]
    private static partial void LogNotIndexed(ILogger logger, Exception exception, JobKind kind, string job, JobState state);
}
