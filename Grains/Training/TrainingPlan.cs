namespace OrleansML.Training;

/// <summary>
/// The deterministic schedule of a job: a seeded split of rows into training and validation, a seeded permutation
/// of the training rows per epoch, and round r of an epoch taking the next global batch from it. Worker k of N
/// takes contiguous slice k of each batch, so the same seed gives the same batches whatever N is.
/// </summary>
public sealed class TrainingPlan
{
    private readonly int _seed;
    private int _cachedEpoch = -1;
    private int[] _cachedOrder = [];

    public TrainingPlan(long rows, double validationSplit, int batchSize, int seed)
    {
        _seed = seed;
        BatchSize = batchSize;
        var all = Enumerable.Range(0, (int)rows).ToArray();
        Shuffle(all, new Random(seed));
        var validation = (int)Math.Floor(rows * validationSplit);
        ValidationRows = all[..validation].Order().ToArray();
        TrainingRows = all[validation..].Order().ToArray();
        RoundsPerEpoch = (TrainingRows.Length + batchSize - 1) / batchSize;
    }

    public int[] TrainingRows { get; }

    public int[] ValidationRows { get; }

    public int BatchSize { get; }

    public int RoundsPerEpoch { get; }

    /// <summary>The rows of global round <paramref name="round"/> (0-based over the whole job).</summary>
    public int[] Batch(long round)
    {
        var epoch = (int)(round / RoundsPerEpoch);
        var index = (int)(round % RoundsPerEpoch);
        if (epoch != _cachedEpoch)
        {
            _cachedOrder = (int[])TrainingRows.Clone();
            Shuffle(_cachedOrder, new Random(unchecked((_seed * 1_000_003) + epoch + 1)));
            _cachedEpoch = epoch;
        }

        var start = index * BatchSize;
        return _cachedOrder[start..Math.Min(start + BatchSize, _cachedOrder.Length)];
    }

    /// <summary>The number of rows in round <paramref name="round"/>: the batch size but for an epoch's last round.</summary>
    public int BatchLength(long round)
    {
        var start = (long)(round % RoundsPerEpoch) * BatchSize;
        return (int)Math.Min(BatchSize, TrainingRows.Length - start);
    }

    /// <summary>Worker <paramref name="rank"/>'s contiguous slice of a batch split over <paramref name="workers"/>.</summary>
    public static int[] Slice(int[] batch, int rank, int workers) =>
        batch[(int)((long)batch.Length * rank / workers)..(int)((long)batch.Length * (rank + 1) / workers)];

    private static void Shuffle(int[] values, Random random)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
