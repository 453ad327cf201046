using System.Diagnostics.Metrics;

namespace OrleansML.Scoring;

/// <summary>The <c>OrleansML.Scoring</c> meter: rows scored, storage-partition duration and rows per second.</summary>
public sealed class ScoringMetrics
{
    public const string MeterName = "OrleansML.Scoring";

    private readonly Counter<long> _rows;
    private readonly Histogram<double> _partitionDuration;
    private readonly Histogram<double> _rowsPerSecond;

    public ScoringMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rows = meter.CreateCounter<long>("orleansml.scoring.rows", "{row}", "Rows scored by batch-scoring workers.");
        _partitionDuration = meter.CreateHistogram<double>("orleansml.scoring.partition.duration", "ms", "Time to read, score and write one storage partition.");
        _rowsPerSecond = meter.CreateHistogram<double>("orleansml.scoring.rows_per_second", "{row}/s", "Rows per second of one storage partition.");
    }

    public void RecordPartition(string model, int version, long rows, double milliseconds)
    {
        KeyValuePair<string, object?>[] tags = [new("model", model), new("version", version)];
        _rows.Add(rows, tags);
        _partitionDuration.Record(milliseconds, tags);
        _rowsPerSecond.Record(rows / Math.Max(milliseconds, 1e-3) * 1000, tags);
    }
}
