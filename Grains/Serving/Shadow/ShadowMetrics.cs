using System.Diagnostics.Metrics;

namespace OrleansML.Serving;

/// <summary>The shadow-traffic instruments of the <c>OrleansML.Serving</c> meter, tagged with the model and the shadow version.</summary>
public sealed class ShadowMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _rows;
    private readonly Histogram<double> _duration;

    public ShadowMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServingMetrics.MeterName);
        _requests = meter.CreateCounter<long>("orleansml.serving.shadow.requests", "{request}", "Requests mirrored to a shadow version, by outcome (compared, failed, dropped)");
        _rows = meter.CreateCounter<long>("orleansml.serving.shadow.rows", "{row}", "Output rows compared with the shadow's, by whether their argmax agreed");
        _duration = meter.CreateHistogram<double>("orleansml.serving.shadow.duration", "ms", "Time a mirrored request took on the shadow version");
    }

    public void Request(string model, int version, string outcome) =>
        _requests.Add(1, [new("model", model), new("version", version), new("outcome", outcome)]);

    public void Compared(string model, int version, OutputDifference difference, double milliseconds)
    {
        Request(model, version, "compared");
        _rows.Add(difference.RowsAgreed, [new("model", model), new("version", version), new("agreed", true)]);
        _rows.Add(difference.Rows - difference.RowsAgreed, [new("model", model), new("version", version), new("agreed", false)]);
        _duration.Record(milliseconds, [new("model", model), new("version", version)]);
    }
}
