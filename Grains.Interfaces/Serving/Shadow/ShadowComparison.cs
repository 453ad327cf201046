namespace OrleansML.Serving;

/// <summary>
/// How a shadow version's outputs compared with the answered ones, on one silo or summed over the cluster
/// (<see cref="Add"/>). Rows are compared output by output: a row agrees when its largest value is at the same
/// index in both; differences are absolute, element by element.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Serving.ShadowComparison")]
public sealed record ShadowComparison
{
    /// <summary>Requests handed to the shadow.</summary>
    [Id(0)] public long Mirrored { get; init; }

    /// <summary>Requests not mirrored because the shadow's queue was full.</summary>
    [Id(1)] public long Dropped { get; init; }

    /// <summary>Mirrored requests the shadow failed on (its error, or outputs that could not be compared).</summary>
    [Id(2)] public long Failed { get; init; }

    /// <summary>Mirrored requests whose outputs were compared.</summary>
    [Id(3)] public long Compared { get; init; }

    [Id(4)] public long RowsCompared { get; init; }

    [Id(5)] public long RowsAgreed { get; init; }

    [Id(6)] public long ValuesCompared { get; init; }

    [Id(7)] public double SumAbsDifference { get; init; }

    [Id(8)] public double MaxAbsDifference { get; init; }

    /// <summary>Time the shadow took per request, from the hand-over to its replica to its answer (its batcher's queue and forward pass), summed and at most.</summary>
    [Id(9)] public double ShadowMillisecondsSum { get; init; }

    [Id(10)] public double ShadowMillisecondsMax { get; init; }

    public double? ArgmaxAgreement => RowsCompared == 0 ? null : (double)RowsAgreed / RowsCompared;

    public double? MeanAbsDifference => ValuesCompared == 0 ? null : SumAbsDifference / ValuesCompared;

    public double? MeanShadowMilliseconds => Compared + Failed == 0 ? null : ShadowMillisecondsSum / (Compared + Failed);

    public ShadowComparison Add(ShadowComparison other) => new()
    {
        Mirrored = Mirrored + other.Mirrored,
        Dropped = Dropped + other.Dropped,
        Failed = Failed + other.Failed,
        Compared = Compared + other.Compared,
        RowsCompared = RowsCompared + other.RowsCompared,
        RowsAgreed = RowsAgreed + other.RowsAgreed,
        ValuesCompared = ValuesCompared + other.ValuesCompared,
        SumAbsDifference = SumAbsDifference + other.SumAbsDifference,
        MaxAbsDifference = Math.Max(MaxAbsDifference, other.MaxAbsDifference),
        ShadowMillisecondsSum = ShadowMillisecondsSum + other.ShadowMillisecondsSum,
        ShadowMillisecondsMax = Math.Max(ShadowMillisecondsMax, other.ShadowMillisecondsMax),
    };
}
