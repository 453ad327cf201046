namespace OrleansML.Scoring;

/// <summary>
/// Score every row of <see cref="Dataset"/> with <see cref="Model"/> (a <see cref="Version"/>, a <see cref="Label"/>,
/// or the model's default route, resolved once when the job starts) into the new dataset <see cref="OutputDataset"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Scoring.ScoringJobSpec")]
public sealed record ScoringJobSpec
{
    [Id(0)] public required string Model { get; init; }

    [Id(1)] public int? Version { get; init; }

    [Id(2)] public string? Label { get; init; }

    [Id(3)] public required string Dataset { get; init; }

    [Id(4)] public required string OutputDataset { get; init; }

    /// <summary>How many work units to split the dataset into (at most its storage partitions); null: one per storage partition.</summary>
    [Id(5)] public int? Partitions { get; init; }

    /// <summary>
    /// <c>auto</c> (default): a model with two or more outputs per row is a classifier (columns <c>p0..pK</c> and
    /// <c>class</c>), one output is a value (<c>y0</c>); <c>classes</c> or <c>values</c> force either.
    /// </summary>
    [Id(6)] public string Output { get; init; } = "auto";

    /// <summary><see cref="ScoringOutputFormat.Parquet"/>: also write the output as Parquet files under <see cref="OutputUrl"/>.</summary>
    [Id(7)] public ScoringOutputFormat OutputFormat { get; init; }

    /// <summary>The folder or prefix (<c>file:///dir/</c>, <c>s3://bucket/prefix/</c>) of the Parquet output: <c>part-{unit}.parquet</c> and <c>_SUCCESS</c>.</summary>
    [Id(8)] public string? OutputUrl { get; init; }
}
