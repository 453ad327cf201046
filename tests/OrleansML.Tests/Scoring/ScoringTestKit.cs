using System.Globalization;
using System.Text;
using OrleansML.Datasets;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Training;
using OrleansML.Scoring;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Scoring;

public static class ScoringTestKit
{
    /// <summary>
    /// A synthetic dataset of <paramref name="rows"/> rows in partitions of 64 (so a job has many units to spread and
    /// retry) and an MLP that scores it, registered in the cluster.
    /// </summary>
    public static async Task ImportWithModelAsync(IClusterClient client, IArtifactStore artifacts, string dataset, string model, int rows, int seed)
    {
        var imported = await new CsvDatasetImporter(artifacts, partitionRows: 64)
            .ImportAsync(dataset, "Class", new MemoryStream(Encoding.UTF8.GetBytes(TrainingTestKit.SyntheticCsv(rows, seed))));
        await client.GetGrain<IDatasetGrain>(dataset).RegisterAsync(imported);
        await client.GetGrain<IModelGrain>(model).CreateAsync(new ArchitectureSpec("mlp", 6, [8], 3), 7);
    }

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
