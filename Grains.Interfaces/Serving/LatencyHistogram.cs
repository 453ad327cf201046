namespace OrleansML.Serving;

/// <summary>
/// Fixed latency buckets for successful requests, so counts from several silos (and two snapshots of one) add and
/// subtract bucket by bucket: a client reads percentiles such as the p99 of the last interval from the difference
/// of two snapshots, as Prometheus' <c>histogram_quantile</c> does.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds in milliseconds; one more bucket past the last counts everything slower.</summary>
    public static readonly double[] BoundsMs = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    /// <summary>How many buckets a histogram has: one per bound, and the overflow.</summary>
    public static int Buckets => BoundsMs.Length + 1;

    /// <summary>The bucket of a duration: the first whose bound is at least it, else the overflow.</summary>
    public static int BucketOf(double milliseconds)
    {
        var index = Array.BinarySearch(BoundsMs, milliseconds);
        return index >= 0 ? index : ~index;
    }

    /// <summary>Adds two histograms bucket by bucket (an empty one, from an older silo, adds nothing).</summary>
    public static long[] Add(long[] a, long[] b)
    {
        if (a.Length == 0)
        {
            return b;
        }

        if (b.Length == 0)
        {
            return a;
        }

        return a.Zip(b, (x, y) => x + y).ToArray();
    }
}
