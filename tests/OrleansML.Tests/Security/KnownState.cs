using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using OrleansML.Torch;

namespace OrleansML.Tests.Security;

/// <summary>
/// What the platform holds before the corpus is sent: a native model with two versions, labels and a traffic split,
/// a TorchScript model, a dataset, a finished scoring job and a finished training job (whose result is a third
/// model). <see cref="CaptureAsync"/> reads all of it back, with the data directory's files and two predictions.
/// </summary>
public sealed record KnownState(string TrainingJob, string ScoringJob)
{
    /// <summary>mlp 4 → 8 → 3; version 1 labelled stable, version 2 canary, traffic split 90/10.</summary>
    public const string Mlp = "hostile-mlp";

    /// <summary>The PyTorch-saved scripted module: TorchScript, one unbatched input of 6.</summary>
    public const string Script = "hostile-script";

    public const string Trained = "hostile-trained";
    public const string Dataset = "hostile-data";
    public const string Scored = "hostile-scored";

    /// <summary>A body each protocol's predict accepts for <see cref="Mlp"/>.</summary>
    public const string NativeRow = """{"inputs":[[1,2,3,4]]}""";
    public const string KServeRow = """{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}""";
    public const string TfRow = """{"instances":[[1,2,3,4]]}""";

    private static readonly ArchitectureSpec Architecture = new("mlp", 4, [8], 3);

    public static async Task<KnownState> CreateAsync(HttpClient http)
    {
        await SucceedAsync(http.PostAsJsonAsync("/api/models", new { name = Mlp, architecture = Architecture, seed = 1 }));
        using var module = ArchitectureBuilder.Build(Architecture);
        using (var form = HostileInputs.Form("artifact", ModelArtifacts.SaveNative(module), "weights.dat", ("format", "Native"), ("architecture", JsonSerializer.Serialize(Architecture, JsonSerializerOptions.Web))))
        {
            await SucceedAsync(http.PostAsync($"/api/models/{Mlp}/versions", form));
        }

        await SucceedAsync(http.PutAsJsonAsync($"/api/models/{Mlp}/labels/stable", new { version = 1 }));
        await SucceedAsync(http.PutAsJsonAsync($"/api/models/{Mlp}/labels/canary", new { version = 2 }));
        await SucceedAsync(http.PutAsJsonAsync($"/api/models/{Mlp}/traffic", new { weights = new { stable = 90, canary = 10 } }));
        using (var form = HostileInputs.Form("artifact", await File.ReadAllBytesAsync(Fixtures.Scripted), "scripted.pt"))
        {
            await SucceedAsync(http.PostAsync($"/api/models/{Script}/versions", form));
        }

        await SucceedAsync(http.PostAsync($"/api/datasets/{Dataset}?label=y", new StringContent(Csv(), Encoding.UTF8, "text/csv")));
        var scoring = await StartAsync(http, "/api/scoring/jobs", new { model = Mlp, version = 1, dataset = Dataset, outputDataset = Scored });
        var training = await StartAsync(http, "/api/training/jobs", new { model = Trained, dataset = Dataset, architecture = new { type = "mlp", inputs = 4, hidden = new[] { 4 }, outputs = 3 }, epochs = 1, batchSize = 10 });
        await FinishedAsync(http, $"/api/scoring/jobs/{scoring}");
        await FinishedAsync(http, $"/api/training/jobs/{training}");
        return new KnownState(training, scoring);
    }

    /// <summary>Everything the corpus must leave as it was, by name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CaptureAsync(HttpClient http, string dataDirectory)
    {
        var reads = new[]
        {
            "/api/models", $"/api/models/{Mlp}", $"/api/models/{Script}", $"/api/models/{Trained}",
            "/api/datasets", $"/api/datasets/{Dataset}", $"/api/datasets/{Scored}", $"/api/datasets/{Dataset}/content",
            $"/api/training/jobs/{TrainingJob}", $"/api/scoring/jobs/{ScoringJob}", "/api/training/jobs", "/api/scoring/jobs", "/api/auth/keys",
            $"/v1/models/{Mlp}", $"/v2/models/{Script}",
        };
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var read in reads)
        {
            state[$"GET {read}"] = await ReadAsync(http.GetAsync(read));
        }

        state["POST /v2/repository/index"] = await ReadAsync(http.PostAsync("/v2/repository/index", null));
        state["predict mlp version 2"] = await ReadAsync(http.PostAsync($"/api/models/{Mlp}/predict", HostileInputs.Json("""{"inputs":[[1,2,3,4]],"version":2}""")()));
        state["infer script"] = await ReadAsync(http.PostAsync($"/v2/models/{Script}/infer",
            HostileInputs.Json("""{"inputs":[{"name":"input","shape":[6],"datatype":"FP32","data":[1,1,1,1,1,1]}]}""")()));
        state["files"] = string.Join('\n', Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(dataDirectory, f)} {new FileInfo(f).Length}").Order(StringComparer.Ordinal));
        return state;
    }

    private static string Csv()
    {
        var csv = new StringBuilder("a,b,c,d,y\n");
        for (var i = 0; i < 40; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i % 7},{i % 5 * 0.5},{(i * 3) % 11},{i % 2},{i % 3}\n");
        }

        return csv.ToString();
    }

    private static async Task<string> StartAsync(HttpClient http, string path, object job)
    {
        var response = await http.PostAsJsonAsync(path, job);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task FinishedAsync(HttpClient http, string path)
    {
        var status = await Poll.UntilAsync(
            async Task<Box?> () => new Box(await http.GetFromJsonAsync<JsonElement>(path)),
            s => s.State is "Succeeded" or "Failed" or "Cancelled", _ => false, TimeSpan.FromSeconds(60), s => s.State);
        Assert.True(status.State == "Succeeded", $"{path}: {status.Json}");
    }

    private static async Task SucceedAsync(Task<HttpResponseMessage> send)
    {
        var response = await send;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> ReadAsync(Task<HttpResponseMessage> send)
    {
        var response = await send;
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>A job status read as JSON, boxed for <see cref="Poll"/>.</summary>
    private sealed record Box(JsonElement Json)
    {
        public string State => Json.GetProperty("state").GetString()!;
    }
}
