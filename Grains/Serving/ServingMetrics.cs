using System.Diagnostics.Metrics;

namespace OrleansML.Serving;

/// <summary>The <c>OrleansML.Serving</c> meter: requests, failures, latency, queue time, batch sizes, loaded models and their memory.</summary>
public sealed class ServingMetrics
{
    public const string MeterName = "OrleansML.Serving";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _queueTime;
    private readonly Histogram<int> _batchSize;

    public ServingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("orleansml.serving.requests", description: "Predictions served");
        _failures = meter.CreateCounter<long>("orleansml.serving.failures", description: "Predictions that failed");
        _duration = meter.CreateHistogram<double>("orleansml.serving.request.duration", "ms", "Time from arrival at the replica to outputs");
        _queueTime = meter.CreateHistogram<double>("orleansml.serving.queue.time", "ms", "Time a request waited for its batch");
        _batchSize = meter.CreateHistogram<int>("orleansml.serving.batch.size", "{request}", "Requests coalesced into one forward pass");
        meter.CreateObservableGauge("orleansml.serving.loaded_models", () => LoadedModels(), "{version}", "Model versions loaded on this silo");
        meter.CreateObservableGauge("orleansml.serving.model.memory", () => LoadedMemory().Select(m => new Measurement<long>(m.Bytes, Tags(m.Model, m.Version))),
            "By", "Native memory each loaded model version takes on this silo");
    }

    /// <summary>This silo's per-version totals for the V2 statistics extension.</summary>
    public ServingStatistics Statistics { get; } = new();

    /// <summary>Reads the loaded-version count; set by the replica cache.</summary>
    public Func<int> LoadedModels { get; set; } = () => 0;

    /// <summary>Reads each loaded version's native memory; set by the replica cache.</summary>
    public Func<IEnumerable<(string Model, int Version, long Bytes)>> LoadedMemory { get; set; } = () => [];

    /// <summary>A request of <paramref name="rows"/> rows answered, timed from <paramref name="startedTimestamp"/>: to the meters and the statistics.</summary>
    public void Served(string model, int version, long rows, long startedTimestamp)
    {
        var tags = Tags(model, version);
        _requests.Add(1, tags);
        _duration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, tags);
        Statistics.Succeeded(model, version, rows, startedTimestamp);
    }

    /// <summary>A request that failed (before a version was chosen, <paramref name="version"/> is null and only the meter counts it).</summary>
    public void Failed(string model, int? version, long startedTimestamp)
    {
        _failures.Add(1, Tags(model, version ?? 0));
        if (version is { } number)
        {
            Statistics.Failed(model, number, startedTimestamp);
        }
    }

    public void Batched(string model, int version, int requests, double queueMilliseconds)
    {
        var tags = Tags(model, version);
        _batchSize.Record(requests, tags);
        _queueTime.Record(queueMilliseconds, tags);
    }

    private static KeyValuePair<string, object?>[] Tags(string model, int version) =>
        [new("model", model), new("version", version)];
}
