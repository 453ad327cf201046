using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Datasets.Parquet;

/// <summary>
/// Stores one uploaded Parquet file as a dataset, row group by row group, in the same partitions and under the same
/// column rules as a CSV upload. Any refused value deletes the partitions written so far.
/// </summary>
public sealed class ParquetDatasetImporter(IArtifactStore artifacts, int partitionRows = CsvDatasetImporter.PartitionRows)
{
    /// <summary>Imports <paramref name="parquet"/>, which must be seekable (Parquet keeps its schema at the end).</summary>
    public async Task<DatasetInfo> ImportAsync(string name, string label, Stream parquet, CancellationToken cancellationToken = default)
    {
        ResourceNames.Validate(name, "dataset");
        await using var table = await ParquetTable.OpenAsync(parquet, "the uploaded Parquet file", label, cancellationToken);
        if (table.Rows == 0)
        {
            throw PlatformException.Invalid("the dataset is empty: the Parquet file has no rows.");
        }

        var rows = new DatasetPartitionWriter(artifacts, name, table.Width, partitionRows);
        try
        {
            for (var group = 0; group < table.RowGroupRows.Length; group++)
            {
                var values = await table.ReadRowGroupAsync(group, cancellationToken);
                for (var offset = 0; offset < values.Length; offset += table.Width)
                {
                    values.AsSpan(offset, table.Width).CopyTo(rows.NextRow());
                    await rows.CommitRowAsync(cancellationToken);
                }
            }

            return await rows.CompleteAsync(table.Columns, table.Label, cancellationToken);
        }
        catch
        {
            await rows.DeleteWrittenAsync();
            throw;
        }
    }
}
