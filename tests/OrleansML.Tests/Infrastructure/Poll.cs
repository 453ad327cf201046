namespace OrleansML.Tests.Infrastructure;

/// <summary>Polls a job's status until a condition holds (or the job ends), with an overall deadline.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> read, Func<T, bool> done, Func<T, bool> finished, TimeSpan deadline, Func<T, string> describe)
        where T : class
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            var status = await read() ?? throw new InvalidOperationException("job not found");
            if (done(status) || finished(status))
            {
                return status;
            }

            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"job still {describe(status)} after {deadline}");
            }
        }
    }
}
