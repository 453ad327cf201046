namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// The peak resident memory (managed and native together) of this process over a stretch of work, from Linux's
/// high-water mark (<c>VmHWM</c>, reset through <c>/proc/self/clear_refs</c>), with a 10 ms sampler of
/// <c>VmRSS</c> as well where the mark cannot be reset.
/// </summary>
public sealed class ProcessMemory : IAsyncDisposable
{
    private readonly long _baseline;
    private readonly bool _markReset;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _sampledPeak;

    private ProcessMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        ManagedBaseline = GC.GetTotalMemory(forceFullCollection: true);
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            _markReset = true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            _markReset = false;
        }

        _baseline = Status("VmRSS");
        _sampledPeak = _baseline;
        _sampler = Task.Run(SampleAsync);
    }

    public long ManagedBaseline { get; }

    public static ProcessMemory Watch() => new();

    /// <summary>How far resident memory rose above where it stood when watching began.</summary>
    public long PeakGrowth() => Math.Max(_markReset ? Status("VmHWM") : 0, Interlocked.Read(ref _sampledPeak)) - _baseline;

    /// <summary>How much more the managed heap holds now, after a full collection, than when watching began.</summary>
    public long ManagedGrowth() => GC.GetTotalMemory(forceFullCollection: true) - ManagedBaseline;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var now = Status("VmRSS");
            if (now > Interlocked.Read(ref _sampledPeak))
            {
                Interlocked.Exchange(ref _sampledPeak, now);
            }

            try
            {
                await Task.Delay(10, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }
}
