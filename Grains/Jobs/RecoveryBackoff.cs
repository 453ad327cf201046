using System.Diagnostics;

namespace OrleansML.Jobs;

/// <summary>
/// The wait between consecutive recoveries of a job: <c>first</c>, doubling up to <c>longest</c>, back to
/// <c>first</c> once work succeeds again. A dead silo's grains keep failing calls until membership declares it
/// dead, and retrying at once would spend the recovery budget in a second. Times are <see cref="Stopwatch"/>
/// timestamps, passed in so the rule is tested without a clock.
/// </summary>
public sealed class RecoveryBackoff(TimeSpan first, TimeSpan longest)
{
    private int _consecutive;
    private long _retryAfter;

    /// <summary>Starts the wait after a failure at <paramref name="now"/>; returns how long it is.</summary>
    public TimeSpan Wait(long now)
    {
        var wait = TimeSpan.FromTicks((long)Math.Min(longest.Ticks, first.Ticks * Math.Pow(2, _consecutive++)));
        _retryAfter = now + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        return wait;
    }

    /// <summary>Whether the wait begun last is over at <paramref name="now"/>.</summary>
    public bool IsOver(long now) => now >= _retryAfter;

    /// <summary>Work succeeded: the next failure waits <c>first</c> again.</summary>
    public void Reset() => _consecutive = 0;
}
