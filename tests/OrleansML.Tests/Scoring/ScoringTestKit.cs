using System.Globalization;
using OrleansML.Scoring;

namespace OrleansML.Tests.Scoring;

public static class ScoringTestKit
{
    public static async Task<ScoringJobStatus> WaitAsync(IScoringJobGrain job, TimeSpan deadline, Func<ScoringJobStatus, bool>? until = null)
    {
        until ??= s => s.IsFinished;
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            var status = await job.GetAsync() ?? throw new InvalidOperationException("job not found");
            if (until(status) || status.IsFinished)
            {
                return status;
            }

            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"job still {status.State} at {status.PartitionsDone}/{status.PartitionsTotal} after {deadline}");
            }
        }
    }

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
