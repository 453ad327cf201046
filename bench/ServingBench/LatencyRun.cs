using System.Diagnostics;

namespace OrleansML.Bench;

/// <summary>Latency percentiles and throughput of one benchmark cell.</summary>
public sealed record LatencyRun(string Model, string Path, int Concurrency, bool Batching, int Requests, double P50Ms, double P99Ms, double RequestsPerSecond)
{
    /// <summary>Runs <paramref name="requests"/> calls with <paramref name="concurrency"/> callers after a warm-up.</summary>
    public static async Task<LatencyRun> MeasureAsync(string model, string path, int concurrency, bool batching, int requests, Func<Task> call)
    {
        // Warm-up: JIT tiers, connection pools and the replica's first batches settle before anything is timed.
        for (var i = 0; i < Math.Max(200, requests / 10); i++)
        {
            await call();
        }

        var latencies = new double[requests];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < requests)
            {
                var started = Stopwatch.GetTimestamp();
                await call();
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        total.Stop();
        Array.Sort(latencies);
        return new LatencyRun(model, path, concurrency, batching, requests,
            Math.Round(latencies[requests / 2], 4), Math.Round(latencies[(int)(requests * 0.99)], 4),
            Math.Round(requests / total.Elapsed.TotalSeconds, 1));
    }
}
