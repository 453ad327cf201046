using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrleansML.Serving;

/// <summary>
/// This silo's running totals per model version, for the V2 statistics extension (the OpenTelemetry meters in
/// <see cref="ServingMetrics"/> carry the same events to collectors). Lock-free: every update is an interlocked add.
/// </summary>
public sealed class ServingStatistics
{
    private readonly ConcurrentDictionary<(string Model, int Version), Counters> _versions = new();

    public void Succeeded(string model, int version, long rows, long startedTimestamp)
    {
        var counters = Of(model, version);
        var elapsed = counters.Request(ref counters.Success, rows, startedTimestamp);
        Interlocked.Increment(ref counters.Latency[LatencyHistogram.BucketOf(elapsed * 1000.0 / Stopwatch.Frequency)]);
    }

    public void Failed(string model, int version, long startedTimestamp)
    {
        var counters = Of(model, version);
        counters.Request(ref counters.Fail, 0, startedTimestamp);
    }

    /// <summary>One forward pass of <paramref name="rows"/> rows, the arrival of each of its requests, and its phases, in stopwatch ticks.</summary>
    public void Executed(string model, int version, long rows, IEnumerable<long> enqueuedAt, long started, long inputDone, long inferDone, long outputDone)
    {
        var counters = Of(model, version);
        Interlocked.Increment(ref counters.Executions);
        foreach (var enqueued in enqueuedAt)
        {
            Add(ref counters.Queue, started - enqueued);
        }

        Add(ref counters.ComputeInput, inputDone - started);
        Add(ref counters.ComputeInfer, inferDone - inputDone);
        Add(ref counters.ComputeOutput, outputDone - inferDone);
        var batch = counters.Batches.GetOrAdd(rows, _ => new Phases());
        Add(ref batch.ComputeInput, inputDone - started);
        Add(ref batch.ComputeInfer, inferDone - inputDone);
        Add(ref batch.ComputeOutput, outputDone - inferDone);
    }

    /// <summary>A snapshot of every version this silo has served, or of one model's.</summary>
    public ModelStatistics[] Snapshot(string? model) => _versions
        .Where(v => model is null || v.Key.Model == model)
        .Select(v => v.Value.Snapshot(v.Key.Model, v.Key.Version))
        .ToArray();

    /// <summary>Forgets a model's figures (the model was deleted).</summary>
    public void Forget(string model)
    {
        foreach (var key in _versions.Keys.Where(k => k.Model == model))
        {
            _versions.TryRemove(key, out _);
        }
    }

    private Counters Of(string model, int version) => _versions.GetOrAdd((model, version), _ => new Counters());

    private static void Add(ref Duration duration, long ticks)
    {
        Interlocked.Increment(ref duration.Count);
        Interlocked.Add(ref duration.Ticks, ticks);
    }

    private static DurationStatistic Read(ref Duration duration) =>
        new(Volatile.Read(ref duration.Count), (long)(Volatile.Read(ref duration.Ticks) * (1e9 / Stopwatch.Frequency)));

    private struct Duration
    {
        public long Count;
        public long Ticks;
    }

    private sealed class Phases
    {
        public Duration ComputeInput;
        public Duration ComputeInfer;
        public Duration ComputeOutput;
    }

    private sealed class Counters
    {
        public Duration Success;
        public Duration Fail;
        public Duration Queue;
        public Duration ComputeInput;
        public Duration ComputeInfer;
        public Duration ComputeOutput;
        public long Inferences;
        public long Executions;
        public long LastInference;
        public readonly ConcurrentDictionary<long, Phases> Batches = new();
        public readonly long[] Latency = new long[LatencyHistogram.Buckets];

        /// <summary>Counts a request and returns how long it took, in stopwatch ticks.</summary>
        public long Request(ref Duration outcome, long rows, long startedTimestamp)
        {
            var elapsed = Stopwatch.GetTimestamp() - startedTimestamp;
            Add(ref outcome, elapsed);
            Interlocked.Add(ref Inferences, rows);
            Interlocked.Exchange(ref LastInference, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            return elapsed;
        }

        public ModelStatistics Snapshot(string model, int version) => new()
        {
            Model = model,
            Version = version,
            LastInference = Volatile.Read(ref LastInference),
            InferenceCount = Volatile.Read(ref Inferences),
            ExecutionCount = Volatile.Read(ref Executions),
            Success = Read(ref Success),
            Fail = Read(ref Fail),
            Queue = Read(ref Queue),
            ComputeInput = Read(ref ComputeInput),
            ComputeInfer = Read(ref ComputeInfer),
            ComputeOutput = Read(ref ComputeOutput),
            Batches = Batches.OrderBy(b => b.Key)
                .Select(b => new BatchStatistics(b.Key, Read(ref b.Value.ComputeInput), Read(ref b.Value.ComputeInfer), Read(ref b.Value.ComputeOutput)))
                .ToArray(),
            LatencyBuckets = ReadLatency(),
        };

        private long[] ReadLatency()
        {
            var counts = new long[Latency.Length];
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] = Volatile.Read(ref Latency[i]);
            }

            return counts;
        }
    }
}
