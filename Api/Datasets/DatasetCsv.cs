using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using OrleansML.Datasets;
using OrleansML.Storage;

namespace OrleansML.Api.Datasets;

/// <summary>
/// Writes a stored dataset as CSV (its feature columns, then its label column), one storage partition at a time,
/// so the response never holds more than one partition of the dataset.
/// </summary>
public static class DatasetCsv
{
    public static async Task WriteAsync(DatasetInfo dataset, IArtifactStore artifacts, Stream body, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', dataset.Columns.Append(dataset.Label)));
        var width = dataset.Columns.Length + 1;
        var line = new StringBuilder();
        for (var p = 0; p < dataset.PartitionCount; p++)
        {
            var values = await ReadAsync(artifacts, dataset.PartitionKey(p), cancellationToken);
            for (var offset = 0; offset + width <= values.Length; offset += width)
            {
                line.Clear();
                for (var c = 0; c < width; c++)
                {
                    line.Append(c == 0 ? "" : ",").Append(values[offset + c].ToString(CultureInfo.InvariantCulture));
                }

                await writer.WriteLineAsync(line, cancellationToken);
            }

            await writer.FlushAsync(cancellationToken);
        }
    }

    private static async Task<float[]> ReadAsync(IArtifactStore artifacts, string key, CancellationToken cancellationToken)
    {
        await using var stream = await artifacts.OpenReadAsync(key, cancellationToken)
            ?? throw new InvalidOperationException($"partition '{key}' is missing from the artifact store.");
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, cancellationToken);
        return MemoryMarshal.Cast<byte, float>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)).ToArray();
    }
}
