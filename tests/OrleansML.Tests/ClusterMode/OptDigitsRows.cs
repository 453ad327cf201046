using System.Text.Json;

namespace OrleansML.Tests.ClusterMode;

/// <summary>The optdigits CSV files as predict rows and labels, and the class a predicted row names.</summary>
public static class OptDigitsRows
{
    public static (double[][] Rows, int[] Labels) Read(string path)
    {
        var lines = File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',').Select(double.Parse).ToArray()).ToList();
        return (lines.Select(l => l[..^1]).ToArray(), lines.Select(l => (int)l[^1]).ToArray());
    }

    public static int ArgMax(JsonElement row)
    {
        var values = row.EnumerateArray().Select(v => v.GetDouble()).ToList();
        return values.IndexOf(values.Max());
    }
}
