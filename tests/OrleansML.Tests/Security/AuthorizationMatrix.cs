using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrleansML.Api.Security;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

/// <summary>
/// Every endpoint of the API with the scope it requires (null: anonymous) and a request that succeeds with that
/// scope. Requests that change state prepare their own target with the admin client, so the cells run in any order;
/// the flag says whether the request will be let through (a refused one needs no target prepared).
/// </summary>
public static class AuthorizationMatrix
{
    public sealed record Cell(string Method, string Pattern, string? Scope, Func<SecuredApiFixture, bool, Task<HttpRequestMessage>> Request)
    {
        public string Endpoint => $"{Method} {Pattern}";
    }

    public static readonly Cell[] Cells =
    [
        Anonymous("*", "/health/live"),
        Anonymous("*", "/health/ready"),
        Anonymous("GET", "/v2/health/live"),
        Anonymous("GET", "/v2/health/ready"),
        new("GET", "/openapi/{documentName}.json", null, (_, _) => Get("/openapi/v1.json")),

        // With API keys on and no OrleansML:Metrics token or port, the scrape falls back to admin (MetricsEndpointTests covers the token).
        new("*", "/metrics", Scopes.Admin, (_, _) => Get("/metrics")),

        new("GET", "/api/models/", Scopes.Predict, (_, _) => Get("/api/models")),
        new("GET", "/api/models/{name}", Scopes.Predict, (_, _) => Get("/api/models/m")),
        new("GET", "/api/models/{name}/history", Scopes.Predict, (_, _) => Get("/api/models/m/history")),
        new("GET", "/api/models/{name}/versions/{version:int}", Scopes.Predict, (_, _) => Get("/api/models/m/versions/1")),
        new("GET", "/api/models/{name}/versions/{version:int}/artifact", Scopes.Admin, (_, _) => Get("/api/models/m/versions/1/artifact")),
        new("POST", "/api/models/{name}/predict", Scopes.Predict, (_, _) => Post("/api/models/m/predict", new { inputs = new[] { 1, 2, 3, 4 } })),
        new("POST", "/api/models/", Scopes.Admin, (_, _) => Post("/api/models", new { name = Unique("create"), architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 } })),
        new("POST", "/api/models/{name}/versions", Scopes.Admin, (_, _) => Upload(Unique("upload"))),
        new("DELETE", "/api/models/{name}/versions/{version:int}", Scopes.Admin, async (f, _) =>
        {
            var name = Unique("delete");
            await SecuredApiFixture.CreateModelAsync(f.Admin, name);
            return new HttpRequestMessage(HttpMethod.Delete, $"/api/models/{name}/versions/1");
        }),
        new("PUT", "/api/models/{name}/labels/{label}", Scopes.Admin, (_, _) => Put("/api/models/m/labels/canary", new { version = 1 })),
        new("DELETE", "/api/models/{name}/labels/{label}", Scopes.Admin, async (f, _) =>
        {
            var label = Unique("label");
            await SecuredApiFixture.EnsureAsync(f.Admin.PutAsJsonAsync($"/api/models/m/labels/{label}", new { version = 1 }));
            return new HttpRequestMessage(HttpMethod.Delete, $"/api/models/m/labels/{label}");
        }),
        new("PUT", "/api/models/{name}/traffic", Scopes.Admin, (_, _) => Put("/api/models/m/traffic", new { weights = new Dictionary<string, int>() })),
        new("PUT", "/api/models/{name}/policy", Scopes.Admin, (_, _) => Put("/api/models/m/policy", new { keepLatest = 0 })),
        new("POST", "/api/models/{name}/rollouts", Scopes.Admin, async (f, _) => await Post($"/api/models/{await RolloutModelAsync(f, running: false)}/rollouts", HeldRollout)),
        new("GET", "/api/models/{name}/rollouts", Scopes.Predict, async (f, _) => await Get($"/api/models/{await RolloutModelAsync(f, running: true)}/rollouts")),
        new("DELETE", "/api/models/{name}/rollouts", Scopes.Admin, async (f, _) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/models/{await RolloutModelAsync(f, running: true)}/rollouts")),
        new("PUT", "/api/models/{name}/batching", Scopes.Admin, (_, _) => Put("/api/models/m/batching", new { enabled = true, maxBatchSize = 64, maxQueueDelayMs = 2 })),
        new("PUT", "/api/models/{name}/onnx-session", Scopes.Admin, (_, _) => Put("/api/models/m/onnx-session", new { intraOpThreads = 1, interOpThreads = 1, graphOptimization = "basic" })),
        new("PUT", "/api/models/{name}/shadow", Scopes.Admin, async (f, through) => await Put($"/api/models/{await TwoVersionsAsync(f, through, shadowed: false)}/shadow", new { version = 2, percent = 10 })),
        new("GET", "/api/models/{name}/shadow", Scopes.Predict, async (f, through) => await Get($"/api/models/{await TwoVersionsAsync(f, through, shadowed: true)}/shadow")),
        new("DELETE", "/api/models/{name}/shadow", Scopes.Admin, async (f, through) =>
            new HttpRequestMessage(HttpMethod.Delete, $"/api/models/{await TwoVersionsAsync(f, through, shadowed: true)}/shadow")),

        new("GET", "/v2/", Scopes.Predict, (_, _) => Get("/v2")),
        new("POST", "/v2/repository/index", Scopes.Predict, (_, _) => Post("/v2/repository/index", new { ready = true })),
        new("POST", "/v2/repository/models/{model}/load", Scopes.Admin, (_, _) => Post("/v2/repository/models/m/load", null)),
        new("POST", "/v2/repository/models/{model}/unload", Scopes.Admin, (_, _) => Post("/v2/repository/models/m/unload", null)),
        new("GET", "/v2/models/{model}", Scopes.Predict, (_, _) => Get("/v2/models/m")),
        new("GET", "/v2/models/{model}/ready", Scopes.Predict, (_, _) => Get("/v2/models/m/ready")),
        new("POST", "/v2/models/{model}/infer", Scopes.Predict, (_, _) => Post("/v2/models/m/infer", KServeInfer)),
        new("GET", "/v2/models/{model}/versions/{version}", Scopes.Predict, (_, _) => Get("/v2/models/m/versions/1")),
        new("GET", "/v2/models/{model}/versions/{version}/ready", Scopes.Predict, (_, _) => Get("/v2/models/m/versions/1/ready")),
        new("GET", "/v2/models/stats", Scopes.Predict, (_, _) => Get("/v2/models/stats")),
        new("GET", "/v2/models/{model}/stats", Scopes.Predict, (_, _) => Get("/v2/models/m/stats")),
        new("GET", "/v2/models/{model}/versions/{version}/stats", Scopes.Predict, (_, _) => Get("/v2/models/m/versions/1/stats")),
        new("POST", "/v2/models/{model}/versions/{version}/infer", Scopes.Predict, (_, _) => Post("/v2/models/m/versions/1/infer", KServeInfer)),

        new("POST", "/v1/models/{model}:predict", Scopes.Predict, (_, _) => Post("/v1/models/m:predict", TfInstances)),
        new("POST", "/v1/models/{model}/versions/{version}:predict", Scopes.Predict, (_, _) => Post("/v1/models/m/versions/1:predict", TfInstances)),
        new("POST", "/v1/models/{model}/labels/{label}:predict", Scopes.Predict, (_, _) => Post("/v1/models/m/labels/stable:predict", TfInstances)),
        new("GET", "/v1/models/{model}", Scopes.Predict, (_, _) => Get("/v1/models/m")),
        new("GET", "/v1/models/{model}/versions/{version}", Scopes.Predict, (_, _) => Get("/v1/models/m/versions/1")),
        new("GET", "/v1/models/{model}/labels/{label}", Scopes.Predict, (_, _) => Get("/v1/models/m/labels/stable")),
        new("GET", "/v1/models/{model}/metadata", Scopes.Predict, (_, _) => Get("/v1/models/m/metadata")),

        new("POST", "/api/datasets/{name}", Scopes.Admin, (_, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Post, $"/api/datasets/{Unique("data")}?label=Class") { Content = SecuredApiFixture.Csv(6) })),
        new("POST", "/api/datasets/{name}/import", Scopes.Admin, (f, _) => Post($"/api/datasets/{Unique("import")}/import", new { url = $"file://{f.Lake}/*.parquet", label = "Class" })),
        new("GET", "/api/datasets/", Scopes.Train, (_, _) => Get("/api/datasets")),
        new("GET", "/api/datasets/{name}", Scopes.Train, (_, _) => Get("/api/datasets/d")),
        new("GET", "/api/datasets/{name}/content", Scopes.Train, (_, _) => Get("/api/datasets/d/content")),

        new("POST", "/api/training/jobs/", Scopes.Train, (_, _) => Post("/api/training/jobs", SecuredApiFixture.TrainingJobBody())),
        new("GET", "/api/training/jobs/", Scopes.Train, (_, _) => Get("/api/training/jobs?state=succeeded&model=t&page=1&pageSize=5")),
        new("GET", "/api/training/jobs/{id}", Scopes.Train, (f, _) => Get($"/api/training/jobs/{f.TrainingJob}")),
        new("GET", "/api/training/jobs/{id}/events", Scopes.Train, (f, _) => Get($"/api/training/jobs/{f.TrainingJob}/events")),
        new("DELETE", "/api/training/jobs/{id}", Scopes.Train, async (f, allowed) =>
        {
            // A job long enough to be running when the cancel arrives; only started when the cancel will be let through.
            var job = allowed ? await SecuredApiFixture.StartAsync(f.Admin, "/api/training/jobs", SecuredApiFixture.TrainingJobBody(epochs: 100_000)) : f.TrainingJob;
            return new HttpRequestMessage(HttpMethod.Delete, $"/api/training/jobs/{job}");
        }),

        new("POST", "/api/scoring/jobs/", Scopes.Train, (_, _) => Post("/api/scoring/jobs", new { model = "m", dataset = "d", outputDataset = Unique("scored") })),
        new("GET", "/api/scoring/jobs/", Scopes.Train, (_, _) => Get("/api/scoring/jobs?model=m")),
        new("GET", "/api/scoring/jobs/{id}", Scopes.Train, (f, _) => Get($"/api/scoring/jobs/{f.ScoringJob}")),
        new("GET", "/api/scoring/jobs/{id}/events", Scopes.Train, (f, _) => Get($"/api/scoring/jobs/{f.ScoringJob}/events")),

        new("GET", "/api/cluster/", Scopes.Admin, (_, _) => Get("/api/cluster")),
        new("GET", "/api/cluster/models", Scopes.Admin, (_, _) => Get("/api/cluster/models")),
        new("GET", "/api/repository/", Scopes.Admin, (_, _) => Get("/api/repository")),
        new("GET", "/api/serving/statistics", Scopes.Predict, (_, _) => Get("/api/serving/statistics")),

        // Anonymous on purpose: it tells a client whether to sign in, and names only the credential it was sent.
        Anonymous("GET", "/api/auth/me"),

        new("POST", "/api/auth/keys/", Scopes.Admin, (_, _) => Post("/api/auth/keys", new { name = Unique("key"), scopes = new[] { Scopes.Predict } })),
        new("GET", "/api/auth/keys/", Scopes.Admin, (_, _) => Get("/api/auth/keys")),
        new("DELETE", "/api/auth/keys/{name}", Scopes.Admin, async (f, _) =>
        {
            var name = Unique("revoke");
            await SecuredApiFixture.EnsureAsync(f.Admin.PostAsJsonAsync("/api/auth/keys", new { name, scopes = new[] { Scopes.Train } }));
            return new HttpRequestMessage(HttpMethod.Delete, $"/api/auth/keys/{name}");
        }),
    ];

    private static readonly object KServeInfer = new { inputs = new[] { new { name = "input", shape = new[] { 1, 4 }, datatype = "FP32", data = new[] { 1, 2, 3, 4 } } } };

    private static readonly object TfInstances = new { instances = new[] { new[] { 1, 2, 3, 4 } } };

    public static IEnumerable<object[]> Protected(string credential) =>
        Cells.Where(c => c.Scope is not null).Select(c => new object[] { c.Endpoint, credential });

    public static IEnumerable<object[]> Open() => Cells.Where(c => c.Scope is null).Select(c => new object[] { c.Endpoint });

    public static Cell Find(string endpoint) => Cells.Single(c => c.Endpoint == endpoint);

    /// <summary>The key that lacks the cell's scope, but holds every other scope below admin.</summary>
    public static string WrongKey(Cell cell) => cell.Scope switch
    {
        Scopes.Predict => SecuredApiFixture.TrainKey,
        Scopes.Train => SecuredApiFixture.PredictKey,
        _ => SecuredApiFixture.PredictTrainKey,
    };

    /// <summary>The least key that holds the cell's scope.</summary>
    public static string RightKey(Cell cell) => cell.Scope switch
    {
        Scopes.Predict => SecuredApiFixture.PredictKey,
        Scopes.Train => SecuredApiFixture.TrainKey,
        _ => SecuredApiFixture.AdminKey,
    };

    // Health checks map every method; a probe sends GET.
    private static Cell Anonymous(string method, string path) => new(method, path, null, (_, _) => Get(path));

    /// <summary>A fresh model with versions 1 (stable) and 2, shadowed by 2 when asked; "m" when the request will be refused anyway.</summary>
    private static async Task<string> TwoVersionsAsync(SecuredApiFixture f, bool through, bool shadowed)
    {
        if (!through)
        {
            return "m";
        }

        var name = Unique("shadow");
        await SecuredApiFixture.EnsureAsync(f.Admin.SendAsync(await Upload(name)));
        await SecuredApiFixture.EnsureAsync(f.Admin.SendAsync(await Upload(name)));
        await SecuredApiFixture.EnsureAsync(f.Admin.PutAsJsonAsync($"/api/models/{name}/labels/stable", new { version = 1 }));
        if (shadowed)
        {
            await SecuredApiFixture.EnsureAsync(f.Admin.PutAsJsonAsync($"/api/models/{name}/shadow", new { version = 2, percent = 10 }));
        }

        return name;
    }

    /// <summary>A rollout that stays at its first step: a day long, needing more requests than any test sends.</summary>
    private static readonly object HeldRollout = new { candidate = 2, stepDurationSeconds = 86400, minRequests = 1000000 };

    /// <summary>A new model with versions 1 (stable) and 2, and with a held rollout of 2 when <paramref name="running"/>.</summary>
    private static async Task<string> RolloutModelAsync(SecuredApiFixture f, bool running)
    {
        var name = Unique("rollout");
        for (var version = 0; version < 2; version++)
        {
            await SecuredApiFixture.EnsureAsync(f.Admin.SendAsync(await Upload(name)));
        }

        await SecuredApiFixture.EnsureAsync(f.Admin.PutAsJsonAsync($"/api/models/{name}/labels/stable", new { version = 1 }));
        if (running)
        {
            await SecuredApiFixture.EnsureAsync(f.Admin.PostAsJsonAsync($"/api/models/{name}/rollouts", HeldRollout));
        }

        return name;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static Task<HttpRequestMessage> Get(string path) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, path));

    private static Task<HttpRequestMessage> Post(string path, object? body) =>
        Task.FromResult(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) });

    private static Task<HttpRequestMessage> Put(string path, object body) =>
        Task.FromResult(new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) });

    private static Task<HttpRequestMessage> Upload(string model)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(File.ReadAllBytes(Fixtures.L1000));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "artifact", "model.pt");
        return Task.FromResult(new HttpRequestMessage(HttpMethod.Post, $"/api/models/{model}/versions") { Content = form });
    }
}
