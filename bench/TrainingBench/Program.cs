// Training benchmark: a plain TorchSharp loop (the floor) against OrleansML data-parallel training with 1, 2 and 3
// workers on an in-process 3-silo cluster, same data, model, batch and optimizer. The floor steps with the workers'
// FlatOptimizer, so the 1-worker overhead compares like with like; a torch.optim.Adam loop is reported beside it.
// The floor and the jobs run in turn in the same process, several times, after a warm-up: on a shared machine the
// load changes from one second to the next, and a fresh process keeps compiling the cluster's code for a while.
// Writes bench/results/training.json. TRAINING_BENCH_DETAIL=1 prints, for each 1-worker job, its epochs (rank 0's
// wall-clock time over the epoch's rounds), the sum of its rounds' compute times and the difference (the time
// between rounds: calls, checkpoints, validation), and the median time of a step of the floor and of a round of
// the 1-worker jobs by position in the epoch.
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
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;
using OrleansML.Training;
using TorchSharp;
using static TorchSharp.torch;

var loadAtStart = LoadAverage();
var detail = Environment.GetEnvironmentVariable("TRAINING_BENCH_DETAIL") == "1";
var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
var hidden = args.Length > 2 ? args[2].Split('x').Select(int.Parse).ToArray() : [256, 256];
var output = args.Length > 3 ? args[3] : Path.Combine("bench", "results", "training.json");
var repeats = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 9;
var architecture = new ArchitectureSpec("mlp", 64, hidden, 10);
var csvPath = Path.Combine(AppContext.BaseDirectory, "data", "optdigits.tra");
var rows = File.ReadAllLines(csvPath).Skip(1).Where(l => l.Length > 0)
    .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
Console.WriteLine($"optdigits.tra: {rows.Length} rows; mlp 64-{string.Join('-', hidden)}-10; batch {batch}; adam; {epochs} epochs (+1 warm-up) x {repeats} repeats; torch threads {get_num_threads()}");

// The floor as an earlier version of this benchmark measured it: first thing in a fresh process, before any silo.
var coldFloor = PlainLoop(flatOptimizer: true).EpochsMs.Average();
Console.WriteLine($"plain loop in a fresh process, before the cluster starts: {coldFloor:F1} ms/epoch");

var data = Path.Combine(Path.GetTempPath(), "orleansml-bench", Guid.NewGuid().ToString("N"));
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["OrleansML:Mode"] = "Embedded",
    ["OrleansML:DataDirectory"] = data,
    ["OrleansML:Device"] = "cpu",
    // Every other setting at its default: a checkpoint every 50 rounds, written in the background by rank 0.
}).Build();
var runs = new Dictionary<string, List<Run>>();
var builder = new InProcessTestClusterBuilder(3);
builder.ConfigureSilo((_, silo) => silo.AddOrleansMLRuntime(configuration));
builder.ConfigureSiloHost((_, host) => host.Logging.SetMinimumLevel(LogLevel.Warning));
await using (var cluster = builder.Build())
{
    await cluster.DeployAsync();
    await cluster.WaitForLivenessToStabilizeAsync();
    var datasets = cluster.Silos[0].ServiceProvider.GetRequiredService<IDatasetStore>();
    var dataset = await new CsvDatasetImporter(datasets).ImportAsync("optdigits", "Class", File.OpenRead(csvPath));
    await cluster.Client.GetGrain<IDatasetGrain>("optdigits").RegisterAsync(dataset);

    // Warm-up, not measured: the first jobs of a process compile the cluster's code paths.
    PlainLoop(flatOptimizer: true);
    await DistributedAsync(cluster.Client, 1);
    await DistributedAsync(cluster.Client, 3);

    for (var repeat = 1; repeat <= repeats; repeat++)
    {
        // The floor right before the 1-worker job, so the two see about the same load.
        Add("plain loop", PlainLoop(flatOptimizer: true));
        Add("1 worker(s)", await DistributedAsync(cluster.Client, 1));
        Add("plain torch.optim", PlainLoop(flatOptimizer: false));
        Add("2 worker(s)", await DistributedAsync(cluster.Client, 2));
        Add("3 worker(s)", await DistributedAsync(cluster.Client, 3));

        Console.WriteLine($"repeat {repeat}: " + string.Join(", ", runs.Select(r => $"{r.Key} {r.Value[^1].EpochsMs.Average():F1}")));
    }
}

Directory.Delete(data, recursive: true);
// Every worker count trains the same weights up to float rounding (the equivalence the tests assert); summing the
// gradient in another order changes the last bits, which Adam amplifies over many epochs, so allow 2%.
var losses = runs.Where(r => r.Key.EndsWith("worker(s)", StringComparison.Ordinal)).SelectMany(r => r.Value.Select(x => x.FinalLoss)).ToArray();
if (losses.Max() > losses.Min() * 1.02)
{
    throw new InvalidOperationException($"the jobs ended on different losses: {string.Join(", ", losses)}");
}

Console.WriteLine($"final loss of the jobs: {losses.Min():F4} to {losses.Max():F4}");
var floor = runs["plain loop"];
// Every measured epoch of every repeat: the median is the figure of merit (other work on the machine makes a few
// epochs many times slower, which a mean takes in); the mean is shown beside it.
var floorEpochs = floor.SelectMany(x => x.EpochsMs).ToArray();
var results = runs.Select(r =>
{
    var workers = r.Key.EndsWith("worker(s)", StringComparison.Ordinal) ? int.Parse(r.Key[..1], CultureInfo.InvariantCulture) : 0;
    var epochs = r.Value.SelectMany(x => x.EpochsMs).ToArray();
    var median = Percentile(epochs, 0.5);
    var last = r.Value[^1];
    var steps = r.Value.SelectMany(x => x.StepsMs).ToArray();
    return new Row(r.Key, workers, median, epochs.Average(), median / Percentile(floorEpochs, 0.5) - 1, epochs.Average() / floorEpochs.Average() - 1,
        Percentile(steps, 0.1), Percentile(steps, 0.5), rows.Length / median * 1000,
        last.AllReduceBytesPerWorker, 2.0 * Math.Max(workers - 1, 0) / Math.Max(workers, 1) * last.GradientBytes, last.GradientBytes,
        [.. r.Value.Select(x => Math.Round(x.EpochsMs.Average(), 1))]);
}).ToList();

if (detail)
{
    // Where in an epoch the time goes: the median time of each round (step) by its position in the epoch.
    var roundsPerEpoch = (rows.Length + batch - 1) / batch;
    foreach (var name in new[] { "plain loop", "1 worker(s)" })
    {
        var byPosition = runs[name].SelectMany(x => x.StepsMs.Select((ms, i) => (Position: i % roundsPerEpoch, Ms: ms)))
            .GroupBy(t => t.Position).OrderBy(g => g.Key).Select(g => Percentile(g.Select(t => t.Ms).ToArray(), 0.5));
        Console.WriteLine($"{name,-12} median ms by position in the epoch: {string.Join(" ", byPosition.Select(v => $"{v:F2}"))}");
    }
}

Console.WriteLine();
Console.WriteLine($"{"run",-18} {"ms/epoch",9} {"mean",7} {"samples/s",10} {"vs floor",9} {"(mean)",7} {"step p10",9} {"p50",6} {"B/worker/round",15} {"ring optimum",13} {"bytes/opt",9}  mean of each repeat");
foreach (var r in results)
{
    var ratio = r.RingOptimumBytes > 0 ? $"{r.AllReduceBytesPerWorkerPerRound / r.RingOptimumBytes:P1}" : "-";
    Console.WriteLine($"{r.Name,-18} {r.MsPerEpoch,9:F1} {r.MeanMsPerEpoch,7:F1} {r.SamplesPerSecond,10:F0} {r.VsFloor,9:+0.0%;-0.0%} {r.VsFloorMean,7:+0%;-0%} {r.StepP10Ms,9:F2} {r.StepP50Ms,6:F2} {r.AllReduceBytesPerWorkerPerRound,15} {r.RingOptimumBytes,13:F0} {ratio,9}  {string.Join(" ", r.PerRepeat)}");
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
{
    machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}",
    loadAverage = new { start = loadAtStart, end = LoadAverage() },
    date = DateTimeOffset.UtcNow,
    workload = new { dataset = "optdigits.tra", rows = rows.Length, architecture, batch, optimizer = "adam", epochs, repeats },
    coldProcessFloorMsPerEpoch = Math.Round(coldFloor, 1),
    results,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"load average {loadAtStart} at the start, {LoadAverage()} at the end; wrote {output}");

void Add(string name, Run run)
{
    if (!runs.TryGetValue(name, out var list))
    {
        runs[name] = list = [];
    }

    list.Add(run);
}

// Other work on the machine, which these timings depend on (1, 5 and 15 minute load averages; Linux only).
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

static double Percentile(double[] values, double fraction) => values.Order().ElementAt((int)(fraction * (values.Length - 1)));

// The time of epochs 2.. (the first epoch warms up native code; the distributed runs drop theirs too) and of each
// step of those epochs.
Run PlainLoop(bool flatOptimizer)
{
    nn.Module<Tensor, Tensor> module;
    lock (TorchGenerator.Lock)
    {
        manual_seed(1);
        module = ArchitectureBuilder.Build(architecture);
    }

    var parameters = module.parameters().ToArray();
    using var adam = optim.Adam(parameters, 0.001);
    var flatAdam = new FlatOptimizer("adam", 0.001, (int)parameters.Sum(p => p.numel()));
    var plan = new TrainingPlan(rows.Length, 0, batch, 1);
    var flat = rows.SelectMany(r => r[..64]).ToArray();
    var features = new float[batch * 64];
    var times = new List<double>();
    var steps = new List<double>();
    for (var epoch = 0; epoch < epochs + 1; epoch++)
    {
        var watch = Stopwatch.StartNew();
        for (var r = 0; r < plan.RoundsPerEpoch; r++)
        {
            var stepStarted = Stopwatch.GetTimestamp();
            using var scope = NewDisposeScope();
            var indices = plan.Batch((long)epoch * plan.RoundsPerEpoch + r);
            for (var i = 0; i < indices.Length; i++)
            {
                flat.AsSpan(indices[i] * 64, 64).CopyTo(features.AsSpan(i * 64));
            }

            var x = tensor(features.AsSpan(0, indices.Length * 64).ToArray(), [indices.Length, 64]);
            var y = tensor(indices.Select(i => (long)rows[i][64]).ToArray());
            adam.zero_grad();
            nn.functional.cross_entropy(module.call(x), y).backward();
            if (flatOptimizer)
            {
                Step(flatAdam, parameters);
            }
            else
            {
                adam.step();
            }

            if (epoch > 0)
            {
                steps.Add(Stopwatch.GetElapsedTime(stepStarted).TotalMilliseconds);
            }
        }

        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    module.Dispose();
    return new Run([.. times.Skip(1)], 0, 0, 0, [.. steps]);
}

// The workers' step (TrainingReplica.Step): one FlatOptimizer pass over each parameter's CPU memory.
static void Step(FlatOptimizer optimizer, TorchSharp.Modules.Parameter[] parameters)
{
    optimizer.BeginStep();
    var offset = 0;
    foreach (var p in parameters)
    {
        using var grad = p.grad!;
        var values = MemoryMarshal.Cast<byte, float>(p.bytes);
        optimizer.Update(values, MemoryMarshal.Cast<byte, float>(grad.bytes), offset);
        offset += values.Length;
    }
}

async Task<Run> DistributedAsync(IClusterClient client, int workers)
{
    var job = client.GetGrain<ITrainingJobGrain>(Guid.NewGuid().ToString("N"));
    await job.StartAsync(new TrainingJobSpec
    {
        // A new model each time: a job on an existing model would fine-tune its latest version.
        Model = $"bench-{workers}-{Guid.NewGuid():N}", Dataset = "optdigits", Architecture = architecture, Epochs = epochs + 1, BatchSize = batch,
        LearningRate = 0.001, Optimizer = "adam", Seed = 1, Workers = workers,
    });
    TrainingJobStatus status;
    while (!(status = (await job.GetAsync())!).IsFinished)
    {
        // As often as the API's progress stream polls a job.
        await Task.Delay(250);
    }

    if (status.State != TrainingState.Succeeded)
    {
        throw new InvalidOperationException($"{workers} workers: {status.State} {status.FailureReason}");
    }

    if (detail && workers == 1)
    {
        var perEpoch = status.RoundDurationsMs.Chunk(status.RoundDurationsMs.Count / status.History.Count).Select(c => c.Sum()).ToArray();
        Console.WriteLine($"  epochs {string.Join(" ", status.History.Select(h => $"{h.DurationMs:F1}"))} | rounds {string.Join(" ", perEpoch.Select(x => $"{x:F1}"))} | gaps {string.Join(" ", status.History.Select((h, i) => $"{h.DurationMs - perEpoch[i]:F1}"))}");
    }

    // The rounds of epochs 2.., as the workers timed them (the slowest worker's time for each round).
    var rounds = status.RoundDurationsMs.Skip(status.RoundDurationsMs.Count / status.History.Count).ToArray();
    return new Run([.. status.History.Skip(1).Select(h => h.DurationMs)], status.AllReduceBytesPerWorker, status.GradientBytes, status.History[^1].Loss, rounds);
}

internal sealed record Run(double[] EpochsMs, long AllReduceBytesPerWorker, long GradientBytes, double FinalLoss, double[] StepsMs);

internal sealed record Row(string Name, int Workers, double MsPerEpoch, double MeanMsPerEpoch, double VsFloor, double VsFloorMean, double StepP10Ms, double StepP50Ms, double SamplesPerSecond,
    long AllReduceBytesPerWorkerPerRound, double RingOptimumBytes, long GradientBytes, double[] PerRepeat);
