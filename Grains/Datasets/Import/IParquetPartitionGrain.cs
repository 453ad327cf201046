namespace OrleansML.Datasets.Import;

/// <summary>
/// Reads Parquet files for an import on the silo it is placed on (a fresh key per call, so an import's calls spread
/// over the cluster): a file's schema and row groups, or a unit of partitions, which it writes to the dataset store.
/// </summary>
[Alias("OrleansML.Datasets.Import.IParquetPartitionGrain")]
public interface IParquetPartitionGrain : IGrainWithStringKey
{
    [Alias("InspectAsync"), ResponseTimeout("00:10:00")]
    Task<ParquetFileShape> InspectAsync(string fileUrl, string label);

    [Alias("WriteAsync"), ResponseTimeout("00:10:00")]
    Task<PartitionWritten> WriteAsync(ParquetUnitWork work);
}

/// <summary>A file's feature columns, label column and rows per row group.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Datasets.Import.ParquetFileShape")]
public sealed record ParquetFileShape([property: Id(0)] string[] Columns, [property: Id(1)] string Label, [property: Id(2)] long[] RowGroupRows);

/// <summary>Rows <see cref="Skip"/> to <see cref="Skip"/> + <see cref="Take"/> - 1 of row group <see cref="RowGroup"/> of a file.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Datasets.Import.ParquetSlice")]
public sealed record ParquetSlice([property: Id(0)] string FileUrl, [property: Id(1)] int RowGroup, [property: Id(2)] int Skip, [property: Id(3)] int Take);

/// <summary>One partition to write: its artifact key and its slices, in order.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Datasets.Import.ParquetPartition")]
public sealed record ParquetPartition([property: Id(0)] string Key, [property: Id(1)] ParquetSlice[] Slices);

/// <summary>Consecutive partitions that share no row group with another unit, and the columns every file must have.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Datasets.Import.ParquetUnitWork")]
public sealed record ParquetUnitWork(
    [property: Id(0)] ParquetPartition[] Partitions,
    [property: Id(1)] string[] Columns,
    [property: Id(2)] string Label);

/// <summary>A written unit's distinct labels when they are all integers (null otherwise), and the silo that wrote it.</summary>
[GenerateSerializer, Immutable, Alias("OrleansML.Datasets.Import.PartitionWritten")]
public sealed record PartitionWritten([property: Id(0)] double[]? Classes, [property: Id(1)] string Silo);
