using System.Runtime.InteropServices;
using OrleansML.Datasets.Parquet;
using OrleansML.Errors;
using OrleansML.Storage;

namespace OrleansML.Datasets.Import;

/// <summary>
/// Reads an import's Parquet files where it is placed and writes partitions straight to the dataset store, holding
/// one row group and one partition at a time; it keeps nothing between calls.
/// </summary>
public sealed class ParquetPartitionGrain(DatasetSources sources, IDatasetStore datasets, ILocalSiloDetails silo) : Grain, IParquetPartitionGrain
{
    public async Task<ParquetFileShape> InspectAsync(string fileUrl, string label)
    {
        DeactivateOnIdle();
        await using var table = await OpenAsync(fileUrl, label);
        return new ParquetFileShape(table.Columns, table.Label, table.RowGroupRows);
    }

    public async Task<PartitionWritten> WriteAsync(ParquetUnitWork work)
    {
        DeactivateOnIdle();
        var width = work.Columns.Length + 1;
        var classes = new SortedSet<double>();
        var integral = true;
        ParquetTable? table = null;
        (string File, int Group, float[] Rows)? cached = null;
        try
        {
            foreach (var partition in work.Partitions)
            {
                var rows = new float[partition.Slices.Sum(s => s.Take) * width];
                var filled = 0;
                foreach (var slice in partition.Slices)
                {
                    if (cached is not { } hit || hit.File != slice.FileUrl || hit.Group != slice.RowGroup)
                    {
                        if (table?.Source != SourceUrl.Quote(slice.FileUrl))
                        {
                            if (table is not null)
                            {
                                await table.DisposeAsync();
                            }

                            table = null;
                            table = await OpenAsync(slice.FileUrl, work.Label);
                            if (!table.Columns.SequenceEqual(work.Columns))
                            {
                                throw PlatformException.Invalid($"{table.Source} changed while it was imported: its columns are no longer those it was listed with.");
                            }
                        }

                        cached = (slice.FileUrl, slice.RowGroup, await table.ReadRowGroupAsync(slice.RowGroup));
                    }

                    cached.Value.Rows.AsSpan(slice.Skip * width, slice.Take * width).CopyTo(rows.AsSpan(filled));
                    filled += slice.Take * width;
                }

                for (var offset = width - 1; integral && offset < rows.Length; offset += width)
                {
                    // As for CSV: past 10,000 distinct integers the label is a value to regress on, not a class.
                    integral = rows[offset] == MathF.Round(rows[offset]) && (classes.Add(rows[offset]) || true) && classes.Count <= 10_000;
                }

                await datasets.WriteAsync(partition.Key, new MemoryStream(MemoryMarshal.AsBytes(rows.AsSpan()).ToArray()));
            }
        }
        finally
        {
            if (table is not null)
            {
                await table.DisposeAsync();
            }
        }

        return new PartitionWritten(integral ? [.. classes] : null, silo.SiloAddress.ToParsableString());
    }

    private async Task<ParquetTable> OpenAsync(string fileUrl, string label) =>
        await ParquetTable.OpenAsync(await sources.OpenAsync(fileUrl), SourceUrl.Quote(fileUrl), label);
}
