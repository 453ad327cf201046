using System.Globalization;
using Parquet;
using Parquet.Schema;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Datasets;

/// <summary>
/// Writes the optdigits CSV fixtures as Parquet with Parquet.Net, the way another tool would: several files, row
/// groups of the sizes asked for, mixed column types (a nullable int column, a double column, int columns, a long
/// label) and, for the bad-input cases, a null, a text column or a missing label.
/// </summary>
public static class ParquetFiles
{
    /// <summary>The optdigits training set's header and rows (features, then Class).</summary>
    public static (string[] Header, float[][] Rows) OptDigits(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray());
    }

    /// <summary>The rules a bad file breaks: a null at a row of the nullable column, a column of text, a column (such as the label) left out.</summary>
    public sealed record Flaws(int? NullAtRow = null, string? TextColumn = null, string? Drop = null);

    public static async Task WriteAsync(Stream output, string[] header, IReadOnlyList<float[]> rows, int[] rowGroups, Flaws? flaws = null)
    {
        flaws ??= new Flaws();
        var columns = Enumerable.Range(0, header.Length).Where(c => header[c] != flaws.Drop).ToArray();
        var fields = columns.ToDictionary(c => c, c => new DataField(header[c], TypeOf(header, c, flaws), c == 0, false, null));
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => fields[c]).ToArray()), output);
        var start = 0;
        foreach (var size in rowGroups)
        {
            using var group = writer.CreateRowGroup();
            foreach (var c in columns)
            {
                var values = rows.Skip(start).Take(size).Select(r => r[c]).ToArray();
                var field = fields[c];
                if (header[c] == flaws.TextColumn)
                {
                    await group.WriteAsync(field, values.Select(v => $"v{v}").ToArray(), null);
                }
                else if (c == 0)
                {
                    var cells = values.Select((v, i) => start + i == flaws.NullAtRow ? (int?)null : (int)v).ToArray();
                    await group.WriteAsync<int>(field, cells.AsMemory(), null, null, CancellationToken.None);
                }
                else if (c == 1)
                {
                    await group.WriteAsync<double>(field, values.Select(v => (double)v).ToArray().AsMemory(), null, null, CancellationToken.None);
                }
                else if (c == header.Length - 1)
                {
                    await group.WriteAsync<long>(field, values.Select(v => (long)v).ToArray().AsMemory(), null, null, CancellationToken.None);
                }
                else
                {
                    await group.WriteAsync<int>(field, values.Select(v => (int)v).ToArray().AsMemory(), null, null, CancellationToken.None);
                }
            }

            start += size;
        }
    }

    public static async Task<byte[]> BytesAsync(string[] header, IReadOnlyList<float[]> rows, int[] rowGroups, Flaws? flaws = null)
    {
        using var stream = new MemoryStream();
        await WriteAsync(stream, header, rows, rowGroups, flaws);
        return stream.ToArray();
    }

    /// <summary>The optdigits training set as Parquet in one row group per <paramref name="rowGroups"/> entry (the rest in a last group).</summary>
    public static Task<byte[]> OptDigitsBytesAsync(params int[] rowGroups)
    {
        var (header, rows) = OptDigits(Fixtures.OptDigitsTrain);
        var rest = rows.Length - rowGroups.Sum();
        return BytesAsync(header, rows, rest > 0 ? [.. rowGroups, rest] : rowGroups);
    }

    private static Type TypeOf(string[] header, int column, Flaws flaws) =>
        header[column] == flaws.TextColumn ? typeof(string)
        : column == 0 ? typeof(int)
        : column == 1 ? typeof(double)
        : column == header.Length - 1 ? typeof(long)
        : typeof(int);
}
