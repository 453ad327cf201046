using OrleansML.Storage.S3;

namespace OrleansML.Datasets.Import;

/// <summary>Where silos may import datasets from (<c>OrleansML:Datasets:Import</c>).</summary>
public sealed class DatasetImportOptions
{
    public const string SectionName = "OrleansML:Datasets:Import";

    /// <summary>
    /// Folders a <c>file://</c> import may read under; empty (the default) refuses every <c>file://</c> URL, so an
    /// import cannot read the silo's own files.
    /// </summary>
    public List<string> FileRoots { get; set; } = [];

    /// <summary>The S3 endpoint, region and credentials of <c>s3://</c> imports; the bucket comes from the URL.</summary>
    public S3StoreOptions S3 { get; set; } = new();

    /// <summary>Rows per stored partition, as an upload's.</summary>
    public int PartitionRows { get; set; } = CsvDatasetImporter.PartitionRows;

    /// <summary>Partitions read at once across the cluster.</summary>
    public int Parallelism { get; set; } = 8;
}
