using System.Globalization;
using System.Runtime.InteropServices;
using OrleansML.Errors;
using OrleansML.Serving;
using OrleansML.Storage;

namespace OrleansML.Datasets;

/// <summary>
/// Reads a CSV upload as a stream, one line at a time, and writes it to the artifact store in partitions of
/// <see cref="PartitionRows"/> float32 rows (features, then the label). Any bad cell stops the import, deletes the
/// partitions written so far and throws a <see cref="PlatformException"/> naming the row and column.
/// </summary>
public sealed class CsvDatasetImporter(IArtifactStore artifacts, int partitionRows = CsvDatasetImporter.PartitionRows)
{
    public const int PartitionRows = 4096;

    public async Task<DatasetInfo> ImportAsync(string name, string label, Stream csv, CancellationToken cancellationToken = default)
    {
        ResourceNames.Validate(name, "dataset");
        if (string.IsNullOrWhiteSpace(label))
        {
            throw PlatformException.Invalid("the 'label' query parameter names the label column and is required.");
        }

        var prefix = $"datasets/{name}/{Guid.NewGuid():N}";
        var written = 0;
        try
        {
            using var reader = new StreamReader(csv);
            var header = await reader.ReadLineAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(header))
            {
                throw PlatformException.Invalid("the dataset is empty: expected a header row and at least one data row.");
            }

            var names = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            var labelIndex = Array.FindIndex(names, c => string.Equals(c, label, StringComparison.Ordinal));
            if (labelIndex < 0)
            {
                throw PlatformException.Invalid($"label column '{label}' is not in the header; columns: {string.Join(", ", names.Take(20))}{(names.Length > 20 ? ", ..." : "")}.");
            }

            var features = names.Where((_, i) => i != labelIndex).ToArray();
            if (features.Length == 0)
            {
                throw PlatformException.Invalid("the dataset has no feature columns besides the label.");
            }

            var width = features.Length + 1;
            var buffer = new float[partitionRows * width];
            var inBuffer = 0;
            long rows = 0;
            var integral = true;
            var classes = new SortedSet<double>();
            var line = 1L;
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                line++;
                if (text.Length == 0)
                {
                    continue;
                }

                var cells = text.Split(',');
                if (cells.Length != names.Length)
                {
                    throw PlatformException.Invalid($"row {line} has {cells.Length} cells; the header has {names.Length}.");
                }

                var offset = inBuffer * width;
                var f = 0;
                for (var c = 0; c < cells.Length; c++)
                {
                    // .NET's number parsing ignores trailing NULs ("1\0" is 1), so a cell holding one is refused first.
                    var cell = cells[c].Trim().Trim('"');
                    if (cell.Contains('\0') || !float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    {
                        throw PlatformException.Invalid($"row {line}, column '{names[c]}': '{Truncate(cells[c])}' is not a number.");
                    }

                    if (c == labelIndex)
                    {
                        buffer[offset + features.Length] = value;
                        integral &= value == MathF.Round(value);
                        if (integral && classes.Count <= 10_000)
                        {
                            classes.Add(value);
                        }
                    }
                    else
                    {
                        buffer[offset + f++] = value;
                    }
                }

                rows++;
                if (++inBuffer == partitionRows)
                {
                    await WritePartitionAsync(prefix, written++, buffer, inBuffer * width, cancellationToken);
                    inBuffer = 0;
                }
            }

            if (rows == 0)
            {
                throw PlatformException.Invalid("the dataset is empty: the header has no data rows under it.");
            }

            if (inBuffer > 0)
            {
                await WritePartitionAsync(prefix, written++, buffer, inBuffer * width, cancellationToken);
            }

            return new DatasetInfo
            {
                Name = name,
                Rows = rows,
                Columns = features,
                Label = label,
                LabelClasses = integral && classes.Count <= 10_000 ? classes.ToArray() : null,
                PartitionSize = partitionRows,
                PartitionCount = written,
                StoragePrefix = prefix,
                CreatedAt = DateTimeOffset.UtcNow,
            };
        }
        catch
        {
            for (var i = 0; i < written; i++)
            {
                await artifacts.DeleteAsync($"{prefix}/part-{i:D5}", CancellationToken.None);
            }

            throw;
        }
    }

    private Task WritePartitionAsync(string prefix, int index, float[] buffer, int count, CancellationToken cancellationToken) =>
        artifacts.WriteAsync($"{prefix}/part-{index:D5}", new MemoryStream(MemoryMarshal.AsBytes(buffer.AsSpan(0, count)).ToArray()), cancellationToken);

    private static string Truncate(string value) => value.Length > 40 ? value[..40] + "..." : value;
}
