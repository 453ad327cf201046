namespace OrleansML.Serving;

/// <summary>A count of events and their total duration in nanoseconds, as Triton's statistics extension reports them.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.DurationStatistic")]
public sealed record DurationStatistic([property: Id(0)] long Count, [property: Id(1)] long Ns)
{
    public static readonly DurationStatistic Zero = new(0, 0);

    public DurationStatistic Add(DurationStatistic other) => new(Count + other.Count, Ns + other.Ns);
}

/// <summary>The executions of one batch size (in rows): how long building inputs, the forward pass and reading outputs took.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.BatchStatistics")]
public sealed record BatchStatistics(
    [property: Id(0)] long BatchSize,
    [property: Id(1)] DurationStatistic ComputeInput,
    [property: Id(2)] DurationStatistic ComputeInfer,
    [property: Id(3)] DurationStatistic ComputeOutput)
{
    public BatchStatistics Add(BatchStatistics other) =>
        new(BatchSize, ComputeInput.Add(other.ComputeInput), ComputeInfer.Add(other.ComputeInfer), ComputeOutput.Add(other.ComputeOutput));
}

/// <summary>
/// What one model version has served, on one silo or summed over the cluster: inferences (rows) and executions
/// (forward passes), successful and failed requests with their durations, the time requests queued for a batch,
/// the compute phases, and the same per batch size.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ModelStatistics")]
public sealed record ModelStatistics
{
    [Id(0)] public required string Model { get; init; }

    [Id(1)] public required int Version { get; init; }

    /// <summary>Milliseconds since the Unix epoch of the last request, 0 when none.</summary>
    [Id(2)] public long LastInference { get; init; }

    [Id(3)] public long InferenceCount { get; init; }

    [Id(4)] public long ExecutionCount { get; init; }

    [Id(5)] public DurationStatistic Success { get; init; } = DurationStatistic.Zero;

    [Id(6)] public DurationStatistic Fail { get; init; } = DurationStatistic.Zero;

    [Id(7)] public DurationStatistic Queue { get; init; } = DurationStatistic.Zero;

    [Id(8)] public DurationStatistic ComputeInput { get; init; } = DurationStatistic.Zero;

    [Id(9)] public DurationStatistic ComputeInfer { get; init; } = DurationStatistic.Zero;

    [Id(10)] public DurationStatistic ComputeOutput { get; init; } = DurationStatistic.Zero;

    [Id(11)] public BatchStatistics[] Batches { get; init; } = [];

    /// <summary>Successful requests per <see cref="LatencyHistogram"/> bucket (empty before any).</summary>
    [Id(12)] public long[] LatencyBuckets { get; init; } = [];

    /// <summary>Sums one version's figures from several silos.</summary>
    public ModelStatistics Add(ModelStatistics other) => this with
    {
        LastInference = Math.Max(LastInference, other.LastInference),
        InferenceCount = InferenceCount + other.InferenceCount,
        ExecutionCount = ExecutionCount + other.ExecutionCount,
        Success = Success.Add(other.Success),
        Fail = Fail.Add(other.Fail),
        Queue = Queue.Add(other.Queue),
        ComputeInput = ComputeInput.Add(other.ComputeInput),
        ComputeInfer = ComputeInfer.Add(other.ComputeInfer),
        ComputeOutput = ComputeOutput.Add(other.ComputeOutput),
        Batches = Batches.Concat(other.Batches).GroupBy(b => b.BatchSize)
            .Select(g => g.Aggregate((a, b) => a.Add(b))).OrderBy(b => b.BatchSize).ToArray(),
        LatencyBuckets = LatencyHistogram.Add(LatencyBuckets, other.LatencyBuckets),
    };
}
