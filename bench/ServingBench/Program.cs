using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansML.Bench;
using OrleansML.Serving;
using OrleansML.Torch;
using TorchSharp;
using static TorchSharp.torch;

// Serving benchmark: in-process TorchSharp forward (the floor), predict through the Orleans client, and REST
// predict, at concurrency 1 and 64, with and without dynamic batching, for the PyTorch-saved 1000-100-10 fixture
// and a memory-heavy 1024-4096-4096-10 MLP created through the API. Usage (from the repository root):
//   dotnet build -c Release && dotnet run -c Release --no-build --project bench/ServingBench [-- --quick]
var root = FindRoot();
var scale = args.Contains("--quick") ? 0.25 : 1.0;
var fixture = Path.Combine(root, "tests", "fixtures", "torchscript", "l1000_100_10.script.dat");
var heavy = new ArchitectureSpec("mlp", 1024, [4096, 4096], 10);
var models = new (string Name, int Width, int RequestsAt1, int RequestsAt64)[]
{
    ("l1000", 1000, (int)(2000 * scale), (int)(6400 * scale)),
    ("heavy", 1024, (int)(200 * scale), (int)(1280 * scale)),
};
var results = new List<LatencyRun>();

torch.set_num_threads(Environment.ProcessorCount);
results.AddRange(await InProcessAsync("l1000", ModelArtifacts.Load(File.ReadAllBytes(fixture), ModelFormat.TorchScript, null, CPU), 1000, models[0]));
torch.manual_seed(1);
var heavyModule = ArchitectureBuilder.Build(heavy);
results.AddRange(await InProcessAsync("heavy", ModelArtifacts.Load(ModelArtifacts.SaveNative(heavyModule), ModelFormat.Native, heavy, CPU), 1024, models[1]));

await using (var api = new EmbeddedApiProcess(root))
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = api.BaseAddress };
    await api.WaitReadyAsync(http);
    using (var upload = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(fixture)), "artifact", "l1000_100_10.script.dat" } })
    {
        (await http.PostAsync("api/models/l1000/versions", upload)).EnsureSuccessStatusCode();
    }

    var create = JsonSerializer.Serialize(new { name = "heavy", architecture = new { type = "mlp", inputs = 1024, hidden = new[] { 4096, 4096 }, outputs = 10 }, seed = 1 });
    (await http.PostAsync("api/models", new StringContent(create, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    using var clientHost = Host.CreateDefaultBuilder()
        .UseOrleansClient(client => client.UseLocalhostClustering(api.GatewayPort, "orleansml", "orleansml"))
        .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
        .Build();
    await clientHost.StartAsync();
    var grains = clientHost.Services.GetRequiredService<IClusterClient>();

    foreach (var (name, width, at1, at64) in models)
    {
        var row = Enumerable.Repeat(1.0, width).ToArray();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { inputs = new[] { row } }));
        var request = new PredictionRequest([TensorData.Of<float>("input", [1, width], row.Select(v => (float)v).ToArray())]);
        var predictor = grains.GetGrain<IPredictorGrain>(name);

        async Task RestPredictAsync()
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync($"api/models/{name}/predict", content);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        }

        // Warm both paths for 3 s each at concurrency 8 before any cell is timed, so the first cells do not pay for
        // JIT tiering and connection set-up that later cells get for free.
        foreach (var warm in new Func<Task>[] { () => predictor.PredictAsync(request), RestPredictAsync })
        {
            var until = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                while (until.Elapsed < TimeSpan.FromSeconds(3))
                {
                    await warm();
                }
            }));
        }

        foreach (var batching in new[] { true, false })
        {
            await grains.GetGrain<IModelGrain>(name).SetBatchingAsync(new BatchingSettings(batching, 64, 2));
            foreach (var (concurrency, count) in new[] { (1, at1), (64, at64) })
            {
                results.Add(await LatencyRun.MeasureAsync(name, "orleans-client", concurrency, batching, count,
                    () => predictor.PredictAsync(request)));
                results.Add(await LatencyRun.MeasureAsync(name, "rest", concurrency, batching, count, RestPredictAsync));
            }
        }
    }

    await clientHost.StopAsync();
}

Console.WriteLine($"{"model",-6} {"path",-15} {"conc",4} {"batch",5} {"requests",8} {"p50 ms",9} {"p99 ms",9} {"req/s",9}");
foreach (var r in results)
{
    Console.WriteLine($"{r.Model,-6} {r.Path,-15} {r.Concurrency,4} {(r.Batching ? "on" : "off"),5} {r.Requests,8} {r.P50Ms,9:F3} {r.P99Ms,9:F3} {r.RequestsPerSecond,9:F1}");
}

LatencyRun Find(string model, string path, int concurrency, bool batching) =>
    results.First(r => r.Model == model && r.Path == path && r.Concurrency == concurrency && r.Batching == batching);

var summary = new
{
    restP50OverInProcessMs = Math.Round(Find("l1000", "rest", 1, true).P50Ms - Find("l1000", "in-process", 1, false).P50Ms, 4),
    heavyRestBatchingSpeedupAt64 = Math.Round(Find("heavy", "rest", 64, true).RequestsPerSecond / Find("heavy", "rest", 64, false).RequestsPerSecond, 2),
    heavyClientBatchingSpeedupAt64 = Math.Round(Find("heavy", "orleans-client", 64, true).RequestsPerSecond / Find("heavy", "orleans-client", 64, false).RequestsPerSecond, 2),
    heavyRestBatchedP99OverP50At64 = Math.Round(Find("heavy", "rest", 64, true).P99Ms / Find("heavy", "rest", 64, true).P50Ms, 2),
};
Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
var output = Path.Combine(root, "bench", "results", "serving.json");
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new
{
    machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
    measuredAt = DateTimeOffset.UtcNow,
    summary,
    results,
}, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
Console.WriteLine($"wrote {output}");

static async Task<LatencyRun[]> InProcessAsync(string name, TorchModel model, int width, (string, int, int At1, int At64) counts)
{
    // The floor: one forward pass per request on this thread, no server, no serialization. At 64 it is a single
    // forward pass of a 64-row batch, counted as 64 requests: what perfect batching could reach.
    var one = torch.ones(1, width);
    var batch = torch.ones(64, width);
    using var noGrad = torch.no_grad();
    var single = await LatencyRun.MeasureAsync(name, "in-process", 1, false, counts.At1, () =>
    {
        using var scope = torch.NewDisposeScope();
        model.Forward(one);
        return Task.CompletedTask;
    });
    var sw = Stopwatch.StartNew();
    var batches = Math.Max(1, counts.At64 / 64);
    for (var i = 0; i < batches; i++)
    {
        using var scope = torch.NewDisposeScope();
        model.Forward(batch);
    }

    var perBatch = sw.Elapsed.TotalMilliseconds / batches;
    return [single, new LatencyRun(name, "in-process", 64, true, batches * 64, Math.Round(perBatch, 4), Math.Round(perBatch, 4), Math.Round(64 * 1000 / perBatch, 1))];
}

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrleansML.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run from inside the OrleansML repository.");
}
