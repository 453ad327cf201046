using System.Diagnostics.Metrics;

namespace OrleansML.Training;

/// <summary>The <c>OrleansML.Training</c> meter: round and all-reduce durations, all-reduce bytes, throughput and loss.</summary>
public sealed class TrainingMetrics
{
    public const string MeterName = "OrleansML.Training";

    private readonly Histogram<double> _roundDuration;
    private readonly Histogram<double> _allReduceDuration;
    private readonly Counter<long> _allReduceBytes;
    private readonly Histogram<double> _samplesPerSecond;
    private readonly Histogram<double> _loss;

    public TrainingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _roundDuration = meter.CreateHistogram<double>("orleansml.training.round.duration", "ms", "Wall-clock time of one synchronous round.");
        _allReduceDuration = meter.CreateHistogram<double>("orleansml.training.allreduce.duration", "ms", "Time one worker spent in the all-reduce of a round.");
        _allReduceBytes = meter.CreateCounter<long>("orleansml.training.allreduce.bytes", "By", "Bytes workers sent to peers in all-reduces.");
        _samplesPerSecond = meter.CreateHistogram<double>("orleansml.training.samples_per_second", "{sample}/s", "Training rows per second, per round.");
        _loss = meter.CreateHistogram<double>("orleansml.training.loss", "1", "Mean training loss of a round's global batch.");
    }

    /// <summary>
    /// One round of <paramref name="job"/>, tagged <c>training_job</c> (a tag named <c>job</c> would collide with
    /// the label Prometheus gives every scrape target) and <c>model</c>.
    /// </summary>
    public void RecordRound(string job, string model, double milliseconds, int samples, double loss)
    {
        KeyValuePair<string, object?>[] tags = [new("training_job", job), new("model", model)];
        _roundDuration.Record(milliseconds, tags);
        _samplesPerSecond.Record(samples / Math.Max(milliseconds, 1e-3) * 1000, tags);
        _loss.Record(loss, tags);
    }

    public void RecordAllReduce(double milliseconds, long bytes, string algorithm)
    {
        var tag = new KeyValuePair<string, object?>("algorithm", algorithm);
        _allReduceDuration.Record(milliseconds, tag);
        _allReduceBytes.Add(bytes, tag);
    }
}
