using System.Runtime.InteropServices;
using OrleansML.Storage;

namespace OrleansML.Datasets;

/// <summary>
/// Reads rows of a stored dataset by index, loading (and keeping) only the partitions those rows fall in, so a
/// worker holds just the part of the dataset its shards have touched.
/// </summary>
public sealed class DatasetReader(DatasetInfo dataset, IArtifactStore artifacts)
{
    private readonly Dictionary<int, float[]> _partitions = [];

    public DatasetInfo Dataset => dataset;

    public int Width => dataset.Columns.Length;

    public int PartitionsLoaded => _partitions.Count;

    /// <summary>Copies the features of <paramref name="rows"/> into <paramref name="features"/> (row-major) and their labels into <paramref name="labels"/>.</summary>
    public async ValueTask ReadAsync(IReadOnlyList<int> rows, float[] features, float[] labels)
    {
        var width = Width + 1;
        for (var i = 0; i < rows.Count; i++)
        {
            var partition = await PartitionAsync(rows[i] / dataset.PartitionSize);
            var offset = rows[i] % dataset.PartitionSize * width;
            partition.AsSpan(offset, Width).CopyTo(features.AsSpan(i * Width, Width));
            labels[i] = partition[offset + Width];
        }
    }

    private async ValueTask<float[]> PartitionAsync(int index)
    {
        if (_partitions.TryGetValue(index, out var cached))
        {
            return cached;
        }

        await using var stream = await artifacts.OpenReadAsync(dataset.PartitionKey(index))
            ?? throw new InvalidOperationException($"partition {index} of dataset '{dataset.Name}' is missing from the artifact store.");
        var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        var values = MemoryMarshal.Cast<byte, float>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)).ToArray();
        _partitions[index] = values;
        return values;
    }
}
