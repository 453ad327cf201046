using System.Runtime.InteropServices;
using OrleansML.Storage;

namespace OrleansML.Datasets;

/// <summary>
/// Collects rows (features, then the label) and writes them to the artifact store as partitions of
/// <c>partitionRows</c> float32 rows under one fresh prefix, tracking the label classes as it goes. An importer that
/// fails calls <see cref="DeleteWrittenAsync"/>, so a refused import leaves nothing stored.
/// </summary>
public sealed class DatasetPartitionWriter(IArtifactStore artifacts, string name, int width, int partitionRows)
{
    private const int MaxClasses = 10_000;
    private readonly float[] _buffer = new float[partitionRows * width];
    private readonly SortedSet<double> _classes = [];
    private int _inBuffer;
    private int _written;
    private bool _integral = true;

    public string Prefix { get; } = $"datasets/{name}/{Guid.NewGuid():N}";

    public long Rows { get; private set; }

    /// <summary>The next row's cells to fill in; <see cref="CommitRowAsync"/> keeps them.</summary>
    public Span<float> NextRow() => _buffer.AsSpan(_inBuffer * width, width);

    /// <summary>Keeps the row filled in through <see cref="NextRow"/>, writing a partition when one is full.</summary>
    public async ValueTask CommitRowAsync(CancellationToken cancellationToken)
    {
        var label = _buffer[_inBuffer * width + width - 1];
        _integral &= label == MathF.Round(label);
        if (_integral && _classes.Count <= MaxClasses)
        {
            _classes.Add(label);
        }

        Rows++;
        if (++_inBuffer == partitionRows)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes the last, partly filled partition and describes the dataset.</summary>
    public async Task<DatasetInfo> CompleteAsync(string[] features, string label, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return new DatasetInfo
        {
            Name = name,
            Rows = Rows,
            Columns = features,
            Label = label,
            LabelClasses = _integral && _classes.Count <= MaxClasses ? _classes.ToArray() : null,
            PartitionSize = partitionRows,
            PartitionCount = _written,
            StoragePrefix = Prefix,
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>Deletes every partition written so far (the import failed).</summary>
    public async Task DeleteWrittenAsync()
    {
        for (var i = 0; i < _written; i++)
        {
            await artifacts.DeleteAsync($"{Prefix}/part-{i:D5}", CancellationToken.None);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_inBuffer == 0)
        {
            return;
        }

        var bytes = MemoryMarshal.AsBytes(_buffer.AsSpan(0, _inBuffer * width)).ToArray();
        await artifacts.WriteAsync($"{Prefix}/part-{_written:D5}", new MemoryStream(bytes), cancellationToken);
        _written++;
        _inBuffer = 0;
    }
}
