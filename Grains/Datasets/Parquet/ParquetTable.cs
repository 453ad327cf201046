using System.Numerics;
using Parquet;
using Parquet.Schema;
using OrleansML.Errors;

namespace OrleansML.Datasets.Parquet;

/// <summary>
/// One Parquet file read as dataset rows: its flat numeric columns, the label column named as for CSV, and its row
/// groups read one at a time into float32 rows (features, then the label). Anything the platform cannot store (a
/// nested, repeated or non-numeric column, a null or a non-finite value) is refused naming the file, the column and,
/// for values, the row group and row.
/// </summary>
public sealed class ParquetTable : IAsyncDisposable
{
    private static readonly HashSet<Type> Numeric =
        [typeof(float), typeof(double), typeof(int), typeof(long), typeof(short), typeof(byte), typeof(sbyte), typeof(ushort), typeof(uint), typeof(ulong), typeof(decimal)];

    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly int _labelIndex;

    private ParquetTable(ParquetReader reader, string source, DataField[] fields, int labelIndex)
    {
        _reader = reader;
        Source = source;
        _fields = fields;
        _labelIndex = labelIndex;
        Columns = fields.Where((_, i) => i != labelIndex).Select(f => f.Name).ToArray();
        Label = fields[labelIndex].Name;
        RowGroupRows = Enumerable.Range(0, reader.RowGroupCount).Select(g => reader.OpenRowGroupReader(g)).Select(g => { using (g) { return g.RowCount; } }).ToArray();
    }

    /// <summary>What the table is read from, as errors name it.</summary>
    public string Source { get; }

    /// <summary>The feature column names, in the file's order without the label.</summary>
    public string[] Columns { get; }

    public string Label { get; }

    /// <summary>Rows in each row group.</summary>
    public long[] RowGroupRows { get; }

    public long Rows => RowGroupRows.Sum();

    /// <summary>Values per row: the features, then the label.</summary>
    public int Width => _fields.Length;

    /// <summary>Opens <paramref name="stream"/> (readable and seekable) and checks its schema; <paramref name="source"/> names it in errors.</summary>
    public static async Task<ParquetTable> OpenAsync(Stream stream, string source, string label, CancellationToken cancellationToken = default)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: false, cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The footer parser throws whatever a malformed byte leads it to (IOException, InvalidDataException,
            // ArgumentOutOfRangeException, OverflowException...): each means the same to the caller.
            await stream.DisposeAsync();
            throw PlatformException.Invalid($"{source} is not a readable Parquet file: {exception.Message}");
        }

        try
        {
            var nested = reader.Schema.Fields.FirstOrDefault(f => f is not DataField);
            if (nested is not null)
            {
                throw PlatformException.Invalid($"{source}: column '{nested.Name}' is nested ({nested.SchemaType}); only flat numeric columns can be imported.");
            }

            var fields = reader.Schema.GetDataFields();
            foreach (var field in fields)
            {
                if (field.IsArray || !Numeric.Contains(field.ClrType))
                {
                    throw PlatformException.Invalid($"{source}: column '{field.Name}' is {(field.IsArray ? "repeated" : field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) ? "text" : field.ClrType.Name)}, not numeric; every column must be a number.");
                }
            }

            var labelIndex = DatasetColumns.LabelIndex(fields.Select(f => f.Name).ToArray(), label);
            return new ParquetTable(reader, source, fields, labelIndex);
        }
        catch (PlatformException exception) when (!exception.Message.StartsWith(source, StringComparison.Ordinal))
        {
            await reader.DisposeAsync();
            throw PlatformException.Invalid($"{source}: {exception.Message}");
        }
        catch (Exception exception) when (exception is not (PlatformException or OperationCanceledException))
        {
            await reader.DisposeAsync();
            throw PlatformException.Invalid($"{source} is not a readable Parquet file: {exception.Message}");
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    /// <summary>Row group <paramref name="group"/> as float32 rows, row-major: the features, then the label.</summary>
    public async Task<float[]> ReadRowGroupAsync(int group, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadValuesAsync(group, cancellationToken);
        }
        catch (Exception exception) when (exception is not (PlatformException or OperationCanceledException))
        {
            throw PlatformException.Invalid($"{Source}, row group {group}: the column data cannot be read: {exception.Message}");
        }
    }

    private async Task<float[]> ReadValuesAsync(int group, CancellationToken cancellationToken)
    {
        using var reader = _reader.OpenRowGroupReader(group);
        var rows = checked((int)reader.RowCount);
        var values = new float[rows * Width];
        var column = 0;
        for (var i = 0; i < _fields.Length; i++)
        {
            var target = i == _labelIndex ? Width - 1 : column++;
            var cells = new ColumnCells(this, _fields[i], group, values, target);
            await (_fields[i].ClrType switch
            {
                var t when t == typeof(float) => cells.ReadAsync<float>(reader, rows, cancellationToken),
                var t when t == typeof(double) => cells.ReadAsync<double>(reader, rows, cancellationToken),
                var t when t == typeof(int) => cells.ReadAsync<int>(reader, rows, cancellationToken),
                var t when t == typeof(long) => cells.ReadAsync<long>(reader, rows, cancellationToken),
                var t when t == typeof(short) => cells.ReadAsync<short>(reader, rows, cancellationToken),
                var t when t == typeof(byte) => cells.ReadAsync<byte>(reader, rows, cancellationToken),
                var t when t == typeof(sbyte) => cells.ReadAsync<sbyte>(reader, rows, cancellationToken),
                var t when t == typeof(ushort) => cells.ReadAsync<ushort>(reader, rows, cancellationToken),
                var t when t == typeof(uint) => cells.ReadAsync<uint>(reader, rows, cancellationToken),
                var t when t == typeof(ulong) => cells.ReadAsync<ulong>(reader, rows, cancellationToken),
                _ => cells.ReadAsync<decimal>(reader, rows, cancellationToken),
            });
        }

        return values;
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    /// <summary>One column of one row group, copied into its place in the rows.</summary>
    private readonly record struct ColumnCells(ParquetTable Table, DataField Field, int Group, float[] Values, int Target)
    {
        public async Task ReadAsync<T>(ParquetRowGroupReader reader, int rows, CancellationToken cancellationToken)
            where T : struct, INumberBase<T>
        {
            if (Field.IsNullable)
            {
                var cells = new T?[rows];
                await reader.ReadAsync<T>(Field, cells.AsMemory(), null, cancellationToken);
                for (var r = 0; r < rows; r++)
                {
                    Set(r, cells[r] ?? throw Refused(r, "is null; every feature and label needs a value"));
                }
            }
            else
            {
                var cells = new T[rows];
                await reader.ReadAsync<T>(Field, cells.AsMemory(), null, cancellationToken);
                for (var r = 0; r < rows; r++)
                {
                    Set(r, cells[r]);
                }
            }
        }

        private void Set<T>(int row, T cell) where T : INumberBase<T>
        {
            var value = (float)double.CreateTruncating(cell);
            if (!float.IsFinite(value))
            {
                throw Refused(row, $"is {cell}, not a finite float32");
            }

            Values[row * Table.Width + Target] = value;
        }

        private PlatformException Refused(int row, string what) =>
            PlatformException.Invalid($"{Table.Source}, row group {Group}, column '{Field.Name}': row {row} of the group {what}.");
    }
}
