using OrleansML.Datasets;
using OrleansML.Serving;

namespace OrleansML.Training;

/// <summary>Per-feature mean and standard deviation of the training rows (a constant feature gets std 1).</summary>
public static class StandardizationStatistics
{
    public static async Task<Standardization> ComputeAsync(DatasetReader reader, int[] rows)
    {
        var width = reader.Width;
        var sum = new double[width];
        var squares = new double[width];
        const int Block = 4096;
        var features = new float[Block * width];
        var labels = new float[Block];
        for (var start = 0; start < rows.Length; start += Block)
        {
            var slice = rows[start..Math.Min(start + Block, rows.Length)];
            await reader.ReadAsync(slice, features, labels);
            for (var i = 0; i < slice.Length * width; i++)
            {
                sum[i % width] += features[i];
                squares[i % width] += (double)features[i] * features[i];
            }
        }

        var mean = sum.Select(s => s / rows.Length).ToArray();
        var std = squares.Select((s, c) => Math.Sqrt(Math.Max(s / rows.Length - mean[c] * mean[c], 0))).ToArray();
        return new Standardization(
            mean.Select(m => (float)m).ToArray(),
            std.Select(s => s < 1e-6 ? 1f : (float)s).ToArray());
    }
}
