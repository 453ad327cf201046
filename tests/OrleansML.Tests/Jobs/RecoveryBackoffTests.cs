using System.Diagnostics;
using OrleansML.Jobs;

namespace OrleansML.Tests.Jobs;

public sealed class RecoveryBackoffTests
{
    private static long At(double seconds) => (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public void Consecutive_failures_wait_twice_as_long_each_time_up_to_the_longest()
    {
        var backoff = new RecoveryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

        var waits = Enumerable.Range(0, 8).Select(_ => backoff.Wait(0).TotalMilliseconds).ToArray();

        Assert.Equal([250, 500, 1000, 2000, 4000, 5000, 5000, 5000], waits);
    }

    [Fact]
    public void The_wait_is_over_only_once_its_time_has_passed()
    {
        var backoff = new RecoveryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.True(backoff.IsOver(At(10)));

        backoff.Wait(At(10));

        Assert.False(backoff.IsOver(At(10.2)));
        Assert.True(backoff.IsOver(At(10.25)));
    }

    [Fact]
    public void Work_that_succeeds_resets_the_wait_to_the_first()
    {
        var backoff = new RecoveryBackoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        backoff.Wait(0);
        backoff.Wait(0);

        backoff.Reset();

        Assert.Equal(TimeSpan.FromMilliseconds(250), backoff.Wait(0));
    }
}
