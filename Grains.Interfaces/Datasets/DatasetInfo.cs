namespace OrleansML.Datasets;

/// <summary>
/// A stored dataset: numeric feature columns and one label column, kept in the artifact store as fixed-size
/// partitions of float32 rows (features, then the label) under <see cref="StoragePrefix"/>, so a training worker
/// reads only the partitions that hold its rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Datasets.DatasetInfo")]
public sealed record DatasetInfo
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public required long Rows { get; init; }

    /// <summary>The feature column names, in order.</summary>
    [Id(2)] public required string[] Columns { get; init; }

    [Id(3)] public required string Label { get; init; }

    /// <summary>Distinct label values, sorted, when every label is an integer (classification); null for regression.</summary>
    [Id(4)] public double[]? LabelClasses { get; init; }

    [Id(5)] public required int PartitionSize { get; init; }

    [Id(6)] public required int PartitionCount { get; init; }

    /// <summary>Artifact key prefix of the partitions: <c>{prefix}/part-{i:D5}</c>.</summary>
    [Id(7)] public required string StoragePrefix { get; init; }

    [Id(8)] public required DateTimeOffset CreatedAt { get; init; }

    public bool IsClassification => LabelClasses is not null;

    /// <summary>The artifact key of partition <paramref name="index"/>.</summary>
    public string PartitionKey(int index) => $"{StoragePrefix}/part-{index:D5}";
}
