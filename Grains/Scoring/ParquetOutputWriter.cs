using Parquet;
using Parquet.Schema;

namespace OrleansML.Scoring;

/// <summary>
/// Builds one work unit's output as a Parquet file, one row group per storage partition: <c>id</c> as int64, the
/// model's outputs as float, and the label column (<c>class</c> as int32 for a classifier).
/// </summary>
public sealed class ParquetOutputWriter : IAsyncDisposable
{
    private readonly MemoryStream _stream = new();
    private ParquetWriter? _writer;
    private DataField[] _fields = [];

    /// <summary>Adds <paramref name="rows"/> (row-major, <see cref="ScoringOutput.Width"/> values each) as a row group.</summary>
    public async Task AppendAsync(float[] rows, bool classification, int outputs)
    {
        var (columns, label) = ScoringOutput.Columns(classification, outputs);
        var width = columns.Length + 1;
        if (_writer is null)
        {
            _fields =
            [
                new DataField(columns[0], typeof(long), false, false, null),
                .. columns.Skip(1).Select(c => new DataField(c, typeof(float), false, false, null)),
                new DataField(label, classification ? typeof(int) : typeof(float), false, false, null),
            ];
            _writer = await ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream);
        }

        var count = rows.Length / width;
        using var group = _writer.CreateRowGroup();
        await group.WriteAsync<long>(_fields[0], Column(rows, width, 0, count, v => (long)v), null, null, CancellationToken.None);
        for (var c = 1; c < width - 1; c++)
        {
            await group.WriteAsync<float>(_fields[c], Column(rows, width, c, count, v => v), null, null, CancellationToken.None);
        }

        if (classification)
        {
            await group.WriteAsync<int>(_fields[^1], Column(rows, width, width - 1, count, v => (int)v), null, null, CancellationToken.None);
        }
        else
        {
            await group.WriteAsync<float>(_fields[^1], Column(rows, width, width - 1, count, v => v), null, null, CancellationToken.None);
        }
    }

    /// <summary>Closes the file and returns its bytes.</summary>
    public async Task<byte[]> CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }

        return _stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        await _stream.DisposeAsync();
    }

    private static ReadOnlyMemory<T> Column<T>(float[] rows, int width, int column, int count, Func<float, T> convert)
    {
        var values = new T[count];
        for (var r = 0; r < count; r++)
        {
            values[r] = convert(rows[r * width + column]);
        }

        return values;
    }
}
