// Training benchmark: a plain TorchSharp loop (the floor) against OrleansML data-parallel training with 1, 2 and 3
// workers on an in-process 3-silo cluster, same data, model, batch and optimizer. The floor steps with the workers'
// FlatOptimizer, so the 1-worker overhead compares like with like; a torch.optim.Adam loop is reported beside it.
// Writes bench/results/training.json.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using OrleansML.Hosting;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;
using OrleansML.Training;
using OrleansML.Datasets;
using TorchSharp;
using static TorchSharp.torch;

var epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 256;
var hidden = args.Length > 2 ? args[2].Split('x').Select(int.Parse).ToArray() : [256, 256];
var output = args.Length > 3 ? args[3] : Path.Combine("bench", "results", "training.json");
var architecture = new ArchitectureSpec("mlp", 64, hidden, 10);
var csvPath = Path.Combine(AppContext.BaseDirectory, "data", "optdigits.tra");
var rows = File.ReadAllLines(csvPath).Skip(1).Where(l => l.Length > 0)
    .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
Console.WriteLine($"optdigits.tra: {rows.Length} rows; mlp 64-{string.Join('-', hidden)}-10; batch {batch}; adam; {epochs} epochs; torch threads {get_num_threads()}");

var results = new List<Row>();
results.Add(PlainLoop(flatOptimizer: true));
results.Add(PlainLoop(flatOptimizer: false));

var data = Path.Combine(Path.GetTempPath(), "orleansml-bench", Guid.NewGuid().ToString("N"));
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["OrleansML:Mode"] = "Embedded",
    ["OrleansML:DataDirectory"] = data,
    ["OrleansML:Device"] = "cpu",
    ["OrleansML:Training:CheckpointEveryRounds"] = "1000000",
}).Build();
var builder = new InProcessTestClusterBuilder(3);
builder.ConfigureSilo((_, silo) => silo.AddOrleansMLRuntime(configuration));
builder.ConfigureSiloHost((_, host) => host.Logging.SetMinimumLevel(LogLevel.Warning));
await using (var cluster = builder.Build())
{
    await cluster.DeployAsync();
    await cluster.WaitForLivenessToStabilizeAsync();
    var artifacts = cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
    var dataset = await new CsvDatasetImporter(artifacts).ImportAsync("optdigits", "Class", File.OpenRead(csvPath));
    await cluster.Client.GetGrain<IDatasetGrain>("optdigits").RegisterAsync(dataset);
    foreach (var workers in new[] { 1, 2, 3 })
    {
        results.Add(await DistributedAsync(cluster.Client, workers));
    }
}

Directory.Delete(data, recursive: true);
Console.WriteLine();
Console.WriteLine($"{"run",-14} {"ms/epoch",10} {"samples/s",10} {"vs plain",9} {"B/worker/round",15} {"ring optimum",13} {"bytes/opt",9}");
var floor = results[0].MsPerEpoch;
foreach (var r in results)
{
    var ratio = r.RingOptimumBytes > 0 ? $"{(double)r.AllReduceBytesPerWorkerPerRound / r.RingOptimumBytes:P1}" : "-";
    Console.WriteLine($"{r.Name,-14} {r.MsPerEpoch,10:F1} {r.SamplesPerSecond,10:F0} {r.MsPerEpoch / floor - 1,9:+0.0%;-0.0%} {r.AllReduceBytesPerWorkerPerRound,15} {r.RingOptimumBytes,13:F0} {ratio,9}");
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
{
    machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
    date = DateTimeOffset.UtcNow,
    workload = new { dataset = "optdigits.tra", rows = rows.Length, architecture, batch, optimizer = "adam", epochs },
    results,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"wrote {output}");

Row PlainLoop(bool flatOptimizer)
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
    for (var epoch = 0; epoch < epochs + 1; epoch++)
    {
        var watch = Stopwatch.StartNew();
        for (var r = 0; r < plan.RoundsPerEpoch; r++)
        {
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
        }

        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    module.Dispose();
    var ms = times.Skip(1).Average(); // the first epoch warms up native code; the distributed runs get the same
    return new Row(flatOptimizer ? "plain loop" : "plain torch.optim", 0, ms, rows.Length / ms * 1000, 0, 0, 0);
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

async Task<Row> DistributedAsync(IClusterClient client, int workers)
{
    var job = client.GetGrain<ITrainingJobGrain>(Guid.NewGuid().ToString("N"));
    await job.StartAsync(new TrainingJobSpec
    {
        Model = $"bench-{workers}", Dataset = "optdigits", Architecture = architecture, Epochs = epochs + 1, BatchSize = batch,
        LearningRate = 0.001, Optimizer = "adam", Seed = 1, Workers = workers,
    });
    TrainingJobStatus status;
    while (!(status = (await job.GetAsync())!).IsFinished)
    {
        await Task.Delay(50);
    }

    if (status.State != TrainingState.Succeeded)
    {
        throw new InvalidOperationException($"{workers} workers: {status.State} {status.FailureReason}");
    }

    var ms = status.History.Skip(1).Average(h => h.DurationMs);
    var optimum = 2.0 * (workers - 1) / workers * status.GradientBytes;
    Console.WriteLine($"{workers} worker(s) on {status.Workers.Select(w => w.Silo).Distinct().Count()} silo(s): {ms:F1} ms/epoch, final loss {status.History[^1].Loss:F4}");
    return new Row($"{workers} worker(s)", workers, ms, rows.Length / ms * 1000, status.AllReduceBytesPerWorker, optimum, status.GradientBytes);
}

internal sealed record Row(string Name, int Workers, double MsPerEpoch, double SamplesPerSecond, long AllReduceBytesPerWorkerPerRound, double RingOptimumBytes, long GradientBytes);
