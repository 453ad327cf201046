namespace OrleansML.Serving.Rollouts;

/// <summary>One side's running totals on one silo: requests, failed ones, latencies of the successful ones.</summary>
public sealed record SideCounters(long Requests, long Errors, LatencyHistogram Latency)
{
    public static readonly SideCounters Zero = new(0, 0, LatencyHistogram.Empty);

    public static SideCounters From(ModelStatistics? statistics) => statistics is null
        ? Zero
        : new(statistics.Success.Count + statistics.Fail.Count, statistics.Fail.Count, statistics.Latency);

    public SideCounters Add(SideCounters other) => new(Requests + other.Requests, Errors + other.Errors, Latency.Add(other.Latency));

    public SideCounters Subtract(SideCounters earlier) => new(Requests - earlier.Requests, Errors - earlier.Errors, Latency.Subtract(earlier.Latency));
}

/// <summary>
/// The baseline's and the candidate's totals on each silo at one moment. Totals live in each silo's memory, so a
/// step's figures are the per-silo differences from the step's start: a silo that died since drops out with its
/// requests, and a silo that joined counts from zero.
/// </summary>
public sealed record RolloutSample(IReadOnlyDictionary<string, (SideCounters Baseline, SideCounters Candidate)> Silos)
{
    public RolloutFigures Since(RolloutSample start)
    {
        var baseline = SideCounters.Zero;
        var candidate = SideCounters.Zero;
        foreach (var (silo, now) in Silos)
        {
            var before = start.Silos.TryGetValue(silo, out var earlier) ? earlier : (SideCounters.Zero, SideCounters.Zero);
            baseline = baseline.Add(now.Baseline.Subtract(before.Item1));
            candidate = candidate.Add(now.Candidate.Subtract(before.Item2));
        }

        return new RolloutFigures
        {
            BaselineRequests = baseline.Requests,
            BaselineErrors = baseline.Errors,
            BaselineP99Ms = baseline.Latency.PercentileMs(0.99),
            CandidateRequests = candidate.Requests,
            CandidateErrors = candidate.Errors,
            CandidateP99Ms = candidate.Latency.PercentileMs(0.99),
        };
    }
}
