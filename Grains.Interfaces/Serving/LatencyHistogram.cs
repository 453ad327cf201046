namespace OrleansML.Serving;

/// <summary>
/// Request latencies counted in fixed log-spaced buckets (four per doubling, from 1 µs to about 4.5 minutes), so the
/// histograms of several silos, or of two moments, add and subtract exactly and give a cluster-wide percentile.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.LatencyHistogram")]
public sealed record LatencyHistogram([property: Id(0)] long[] Counts)
{
    /// <summary>Buckets per doubling of latency: each bucket is about 19 % wide.</summary>
    public const int BucketsPerDoubling = 4;

    public const int BucketCount = 28 * BucketsPerDoubling;

    public static readonly LatencyHistogram Empty = new(new long[BucketCount]);

    public long Total => Counts.Sum();

    /// <summary>The bucket of a latency in nanoseconds: 0 holds everything under 1 µs, the last everything above its lower bound.</summary>
    public static int BucketOf(double nanoseconds)
    {
        if (!(nanoseconds > 1_000))
        {
            return 0;
        }

        var bucket = (int)(Math.Log2(nanoseconds / 1_000) * BucketsPerDoubling);
        return Math.Min(bucket, BucketCount - 1);
    }

    /// <summary>The upper bounds of every bucket but the last (which counts everything slower), in milliseconds.</summary>
    public static double[] UpperBoundsMs() => Enumerable.Range(0, BucketCount - 1).Select(UpperBoundMs).ToArray();

    /// <summary>The upper bound of a bucket, in milliseconds.</summary>
    public static double UpperBoundMs(int bucket) => Math.Pow(2, (bucket + 1) / (double)BucketsPerDoubling) / 1_000;

    /// <summary>
    /// The latency (milliseconds, the upper bound of its bucket) under which <paramref name="quantile"/> of the
    /// requests fall; 0 when there are none.
    /// </summary>
    public double PercentileMs(double quantile)
    {
        var total = Total;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total - 1e-9));
        long seen = 0;
        for (var bucket = 0; bucket < Counts.Length; bucket++)
        {
            seen += Counts[bucket];
            if (seen >= rank)
            {
                return UpperBoundMs(bucket);
            }
        }

        return UpperBoundMs(Counts.Length - 1);
    }

    public LatencyHistogram Add(LatencyHistogram other) => new(Combine(other, 1));

    /// <summary>The requests counted here and not in <paramref name="earlier"/> (a snapshot of the same counters taken before).</summary>
    public LatencyHistogram Subtract(LatencyHistogram earlier) => new(Combine(earlier, -1));

    private long[] Combine(LatencyHistogram other, int sign)
    {
        var counts = new long[BucketCount];
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            counts[bucket] = At(bucket) + sign * other.At(bucket);
        }

        return counts;
    }

    private long At(int bucket) => bucket < Counts.Length ? Counts[bucket] : 0;
}
