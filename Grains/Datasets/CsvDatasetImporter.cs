using System.Globalization;
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

        using var reader = new StreamReader(csv);
        var header = await reader.ReadLineAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(header))
        {
            throw PlatformException.Invalid("the dataset is empty: expected a header row and at least one data row.");
        }

        var names = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        var labelIndex = DatasetColumns.LabelIndex(names, label);
        var features = names.Where((_, i) => i != labelIndex).ToArray();
        var rows = new DatasetPartitionWriter(artifacts, name, features.Length + 1, partitionRows);
        try
        {
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

                var row = rows.NextRow();
                var f = 0;
                for (var c = 0; c < cells.Length; c++)
                {
                    // .NET's number parsing ignores trailing NULs ("1\0" is 1), so a cell holding one is refused first.
                    var cell = cells[c].Trim().Trim('"');
                    if (cell.Contains('\0') || !float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    {
                        throw PlatformException.Invalid($"row {line}, column '{names[c]}': '{Truncate(cells[c])}' is not a number.");
                    }

                    row[c == labelIndex ? features.Length : f++] = value;
                }

                await rows.CommitRowAsync(cancellationToken);
            }

            if (rows.Rows == 0)
            {
                throw PlatformException.Invalid("the dataset is empty: the header has no data rows under it.");
            }

            return await rows.CompleteAsync(features, label, cancellationToken);
        }
        catch
        {
            await rows.DeleteWrittenAsync();
            throw;
        }
    }

    private static string Truncate(string value) => value.Length > 40 ? value[..40] + "..." : value;
}
