namespace OrleansML.Datasets;

/// <summary>
/// One import of Parquet files from a store URL (keyed by a fresh id per import): it lists the files the URL's
/// glob matches, has silos read them partition by partition, and registers the dataset, or stores nothing.
/// </summary>
[Alias("OrleansML.Datasets.IDatasetImportGrain")]
public interface IDatasetImportGrain : IGrainWithStringKey
{
    [Alias("ImportAsync"), ResponseTimeout("00:10:00")]
    Task<DatasetInfo> ImportAsync(DatasetImportSpec spec);
}

/// <summary>What to import: the dataset's name, the files (<c>file:///dir/*.parquet</c>, <c>s3://bucket/prefix/*.parquet</c>) and the label column.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Datasets.DatasetImportSpec")]
public sealed record DatasetImportSpec
{
    [Id(0)] public required string Name { get; init; }

    [Id(1)] public required string Url { get; init; }

    [Id(2)] public required string Label { get; init; }
}
