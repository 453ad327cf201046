// Batch-scoring benchmark: the same synthetic rows scored by a plain single-process TorchSharp loop (the floor) and
// by OrleansML scoring jobs on in-process clusters of 1 and 3 silos. Writes bench/results/scoring.json.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansML.Datasets;
using OrleansML.Hosting;
using OrleansML.Scoring;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;
using TorchSharp;
using static TorchSharp.torch;

var rowCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
// The machine is shared, so each figure is the best of several measured passes after a warm-up.
const int Passes = 3;
var output = args.Length > 1 ? args[1] : Path.Combine("bench", "results", "scoring.json");
const int Features = 64, Classes = 10, Chunk = 256;
var architecture = new ArchitectureSpec("mlp", Features, [256, 256], Classes);
var random = new Random(1);
var rows = new float[rowCount * (Features + 1)];
for (var i = 0; i < rows.Length; i++)
{
    rows[i] = i % (Features + 1) == Features ? random.Next(Classes) : (float)random.NextDouble() * 16;
}

Console.WriteLine($"{rowCount} rows x {Features} features; mlp {Features}-256-256-{Classes}; chunks of {Chunk}; {Environment.ProcessorCount} cores; torch threads {get_num_threads()}");
var results = new List<Run> { PlainLoop() };
foreach (var silos in new[] { 1, 3 })
{
    results.Add(await ClusterAsync(silos));
}

Console.WriteLine();
Console.WriteLine($"{"run",-16} {"rows/s",10} {"seconds",8} {"vs plain",9}");
foreach (var r in results)
{
    Console.WriteLine($"{r.Name,-16} {r.RowsPerSecond,10:F0} {r.Seconds,8:F2} {r.RowsPerSecond / results[0].RowsPerSecond,8:P0}");
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
{
    rows = rowCount,
    features = Features,
    model = $"mlp {Features}-256-256-{Classes}",
    chunkRows = Chunk,
    cores = Environment.ProcessorCount,
    machine = "shared machine: the cores are shared with other workloads, in-process silos share them too",
    measuredAt = DateTimeOffset.UtcNow,
    runs = results,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"wrote {output}");

// The floor: one process, no grains, no storage: forward passes over in-memory rows, then softmax and argmax.
Run PlainLoop()
{
    using var module = ArchitectureBuilder.Build(architecture);
    module.eval();
    var input = new float[Chunk * Features];
    var sink = 0L;
    var best = double.MaxValue;
    for (var pass = 0; pass <= Passes; pass++)
    {
        var started = Stopwatch.GetTimestamp();
        using (no_grad())
        {
            for (var first = 0; first < rowCount; first += Chunk)
            {
                using var scope = NewDisposeScope();
                var count = Math.Min(Chunk, rowCount - first);
                for (var r = 0; r < count; r++)
                {
                    rows.AsSpan((first + r) * (Features + 1), Features).CopyTo(input.AsSpan(r * Features, Features));
                }

                var x = tensor(input.AsSpan(0, count * Features).ToArray(), [count, Features]);
                var logits = module.call(x);
                var probabilities = nn.functional.softmax(logits, 1).data<float>().ToArray();
                sink += logits.argmax(1).data<long>().ToArray().Sum() + probabilities.Length;
            }
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"plain TorchSharp loop, pass {pass}{(pass == 0 ? " (warm-up)" : "")}: {rowCount / seconds:F0} rows/s ({sink % 7})");
        best = pass == 0 ? best : Math.Min(best, seconds);
    }

    return new Run("plain-torchsharp", 1, rowCount / best, best, 0);
}

async Task<Run> ClusterAsync(int silos)
{
    var data = Path.Combine(Path.GetTempPath(), "orleansml-scoring-bench", Guid.NewGuid().ToString("N"));
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["OrleansML:Mode"] = "Embedded",
        ["OrleansML:DataDirectory"] = data,
        ["OrleansML:Device"] = "cpu",
        ["OrleansML:Scoring:ChunkRows"] = Chunk.ToString(CultureInfo.InvariantCulture),
    }).Build();
    var builder = new InProcessTestClusterBuilder((short)silos);
    builder.ConfigureSilo((_, silo) => silo.AddOrleansMLRuntime(configuration));
    builder.ConfigureSiloHost((_, host) => host.Logging.SetMinimumLevel(LogLevel.Warning));
    try
    {
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        var datasets = cluster.Silos[0].ServiceProvider.GetRequiredService<IDatasetStore>();
        var dataset = await WriteDatasetAsync(datasets);
        await cluster.Client.GetGrain<IDatasetGrain>(dataset.Name).RegisterAsync(dataset);
        await cluster.Client.GetGrain<IModelGrain>("bench").CreateAsync(architecture, 42);

        // Warm-up job: loads a replica on every silo; then the measured job.
        await ScoreAsync(cluster.Client, "warmup");
        (double Seconds, ScoringJobStatus Status) best = (double.MaxValue, null!);
        for (var pass = 1; pass <= Passes; pass++)
        {
            var started = Stopwatch.GetTimestamp();
            var status = await ScoreAsync(cluster.Client, $"scored-{pass}");
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            Console.WriteLine($"{silos} silo(s), pass {pass}: {rowCount / seconds:F0} rows/s end to end; job reports {status.RowsPerSecond:F0} rows/s; units by silo {string.Join(", ", status.PartitionsBySilo.Values)}");
            best = seconds < best.Seconds ? (seconds, status) : best;
        }

        return new Run($"orleansml-{silos}-silo{(silos > 1 ? "s" : "")}", silos, rowCount / best.Seconds, best.Seconds, best.Status.RowsPerSecond);
    }
    finally
    {
        Directory.Delete(data, recursive: true);
    }
}

async Task<DatasetInfo> WriteDatasetAsync(IArtifactStore datasets)
{
    const int PartitionRows = CsvDatasetImporter.PartitionRows;
    var prefix = $"datasets/bench/{Guid.NewGuid():N}";
    var partitions = (rowCount + PartitionRows - 1) / PartitionRows;
    for (var p = 0; p < partitions; p++)
    {
        var count = Math.Min(PartitionRows, rowCount - p * PartitionRows);
        var bytes = MemoryMarshal.AsBytes(rows.AsSpan(p * PartitionRows * (Features + 1), count * (Features + 1))).ToArray();
        await datasets.WriteAsync($"{prefix}/part-{p:D5}", new MemoryStream(bytes));
    }

    return new DatasetInfo
    {
        Name = "bench",
        Rows = rowCount,
        Columns = Enumerable.Range(0, Features).Select(c => $"x{c}").ToArray(),
        Label = "Class",
        LabelClasses = Enumerable.Range(0, Classes).Select(c => (double)c).ToArray(),
        PartitionSize = PartitionRows,
        PartitionCount = partitions,
        StoragePrefix = prefix,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}

async Task<ScoringJobStatus> ScoreAsync(IClusterClient client, string outputName)
{
    var job = client.GetGrain<IScoringJobGrain>(Guid.NewGuid().ToString("N"));
    await job.StartAsync(new ScoringJobSpec { Model = "bench", Version = 1, Dataset = "bench", OutputDataset = outputName });
    var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 600;
    while (Stopwatch.GetTimestamp() < deadline)
    {
        var status = (await job.GetAsync())!;
        if (status.IsFinished)
        {
            return status.State == ScoringState.Succeeded ? status : throw new InvalidOperationException(status.FailureReason);
        }

        await Task.Delay(20);
    }

    throw new TimeoutException("the scoring job did not finish within 10 minutes.");
}

internal sealed record Run(string Name, int Silos, double RowsPerSecond, double Seconds, double JobRowsPerSecond);
