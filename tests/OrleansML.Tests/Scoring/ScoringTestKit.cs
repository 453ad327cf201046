using System.Globalization;
using OrleansML.Scoring;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Scoring;

public static class ScoringTestKit
{
    public static Task<ScoringJobStatus> WaitAsync(IScoringJobGrain job, TimeSpan deadline, Func<ScoringJobStatus, bool>? until = null) =>
        Poll.UntilAsync(job.GetAsync, until ?? (s => s.IsFinished), s => s.IsFinished, deadline, s => $"{s.State} at {s.PartitionsDone}/{s.PartitionsTotal}");

    /// <summary>An output CSV: its header and rows by id, asserting every id 0..rows-1 appears exactly once.</summary>
    public static (string[] Header, Dictionary<long, double[]> Rows) ParseOutput(string csv, long rows)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal("id", header[0]);
        var byId = new Dictionary<long, double[]>();
        foreach (var line in lines.Skip(1))
        {
            var values = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(header.Length, values.Length);
            Assert.True(byId.TryAdd((long)values[0], values), $"row id {values[0]} appears more than once");
        }

        Assert.Equal(rows, byId.Count);
        Assert.Equal(rows, lines.Length - 1);
        Assert.All(byId.Keys, id => Assert.InRange(id, 0, rows - 1));
        return (header, byId);
    }
}
