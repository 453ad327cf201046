namespace OrleansML.Datasets;

/// <summary>The file formats a dataset is uploaded or imported in.</summary>
public enum DatasetFormat
{
    /// <summary>Text with a header row, comma-separated.</summary>
    Csv,

    /// <summary>Apache Parquet: flat numeric columns.</summary>
    Parquet,
}

/// <summary>Tells an upload's format from its media type, its file name or its first bytes.</summary>
public static class DatasetFormats
{
    /// <summary>Every Parquet file starts (and ends) with these four bytes.</summary>
    public static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;

    public static DatasetFormat Detect(string? mediaType, string? fileName, ReadOnlySpan<byte> head) =>
        mediaType is "application/vnd.apache.parquet" or "application/x-parquet"
        || (fileName?.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ?? false)
        || head.StartsWith(ParquetMagic)
            ? DatasetFormat.Parquet
            : DatasetFormat.Csv;
}
