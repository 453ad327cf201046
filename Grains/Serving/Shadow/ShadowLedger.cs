using System.Collections.Concurrent;

namespace OrleansML.Serving;

/// <summary>
/// This silo's comparison figures per model and shadow setting (a new setting starts afresh), and the
/// <c>orleansml.serving.shadow.*</c> meters that carry the same figures to Prometheus.
/// </summary>
public sealed class ShadowLedger
{
    private readonly ConcurrentDictionary<(string Model, ShadowSettings Shadow), Figures> _figures = new();
    private readonly ShadowMetrics _metrics;

    public ShadowLedger(ShadowMetrics metrics) => _metrics = metrics;

    public void Mirrored(string model, ShadowSettings shadow) => Update(model, shadow, f => f with { Mirrored = f.Mirrored + 1 });

    public void Dropped(string model, ShadowSettings shadow)
    {
        Update(model, shadow, f => f with { Dropped = f.Dropped + 1 });
        _metrics.Request(model, shadow.Version, "dropped");
    }

    public void Failed(string model, ShadowSettings shadow, double milliseconds)
    {
        Update(model, shadow, f => f with
        {
            Failed = f.Failed + 1,
            ShadowMillisecondsSum = f.ShadowMillisecondsSum + milliseconds,
            ShadowMillisecondsMax = Math.Max(f.ShadowMillisecondsMax, milliseconds),
        });
        _metrics.Request(model, shadow.Version, "failed");
    }

    public void Compared(string model, ShadowSettings shadow, OutputDifference difference, double milliseconds)
    {
        Update(model, shadow, f => f.Add(new ShadowComparison
        {
            Compared = 1,
            RowsCompared = difference.Rows,
            RowsAgreed = difference.RowsAgreed,
            ValuesCompared = difference.Values,
            SumAbsDifference = difference.SumAbsDifference,
            MaxAbsDifference = difference.MaxAbsDifference,
            ShadowMillisecondsSum = milliseconds,
            ShadowMillisecondsMax = milliseconds,
        }));
        _metrics.Compared(model, shadow.Version, difference, milliseconds);
    }

    /// <summary>The figures of <paramref name="model"/>'s shadow <paramref name="shadow"/> on this silo (zeros when it saw none).</summary>
    public ShadowComparison Get(string model, ShadowSettings shadow) =>
        _figures.TryGetValue((model, shadow), out var figures) ? figures.Snapshot() : new ShadowComparison();

    private void Update(string model, ShadowSettings shadow, Func<ShadowComparison, ShadowComparison> change) =>
        _figures.GetOrAdd((model, shadow), _ => new Figures()).Update(change);

    /// <summary>One setting's running figures; updates are rare next to predictions, so a lock is cheap.</summary>
    private sealed class Figures
    {
        private ShadowComparison _current = new();

        public void Update(Func<ShadowComparison, ShadowComparison> change)
        {
            lock (this)
            {
                _current = change(_current);
            }
        }

        public ShadowComparison Snapshot()
        {
            lock (this)
            {
                return _current;
            }
        }
    }
}
