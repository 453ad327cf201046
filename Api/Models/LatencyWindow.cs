namespace OrleansML.Api.Models;

/// <summary>
/// The recent latencies of one model's predictions, and their 99th percentile: a ring of the last
/// <see cref="Size"/> samples, its percentile recomputed every <see cref="Refresh"/> samples so that recording
/// stays a few nanoseconds on the request path.
/// </summary>
public sealed class LatencyWindow
{
    public const int Size = 256;

    public const int Refresh = 32;

    private readonly double[] _samples = new double[Size];
    private long _count;
    private double _p99 = double.NaN;

    /// <summary>The 99th percentile of the recent samples in milliseconds, NaN until <see cref="Refresh"/> have been recorded.</summary>
    public double P99Milliseconds => Volatile.Read(ref _p99);

    public void Record(double milliseconds)
    {
        var count = Interlocked.Increment(ref _count);
        _samples[(count - 1) % Size] = milliseconds;
        if (count % Refresh == 0)
        {
            var recent = _samples.Take((int)Math.Min(count, Size)).Order().ToArray();
            Volatile.Write(ref _p99, recent[(int)Math.Ceiling(recent.Length * 0.99) - 1]);
        }
    }
}
