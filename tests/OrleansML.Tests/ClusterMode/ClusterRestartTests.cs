using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansML.Tests.History;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.ClusterMode;

[Collection(RestartClusterCollection.Name)]
public sealed class ClusterRestartTests(ProcessClusterFixture fixture)
{
    [Fact]
    public async Task A_full_cluster_restart_with_redis_kept_loses_no_model_version_label_history_dataset_or_finished_job()
    {
        var api = fixture.Api;
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("api/models",
            new { name = "mp-restart", architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 }, seed = 1 })).StatusCode);
        Assert.True((await api.PutAsJsonAsync("api/models/mp-restart/labels/stable", new { version = 1 })).IsSuccessStatusCode);
        var csv = new StringBuilder("a,b,label\n");
        var random = new Random(3);
        for (var i = 0; i < 120; i++)
        {
            var (a, b) = (random.NextDouble(), random.NextDouble());
            csv.Append($"{a:F4},{b:F4},{(a > b ? 1 : 0)}\n");
        }

        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("api/datasets/mp-restart-data?label=label",
            new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))).StatusCode);
        var started = await api.PostAsJsonAsync("api/training/jobs", new
        {
            model = "mp-restart-trained", dataset = "mp-restart-data",
            architecture = new { type = "mlp", inputs = 2, hidden = new[] { 4 }, outputs = 2 },
            epochs = 1, batchSize = 30, learningRate = 0.1, optimizer = "sgd", seed = 1,
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = started.Headers.Location!.ToString();
        await WaitForStateAsync(api, job, "Succeeded");
        var before = await api.GetStringAsync("api/models/mp-restart");
        var between = await HistoryHttp.MoveStableFromV1ToV2Async(api, "mp-history");

        await fixture.StopPlatformAsync();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => fixture.StartSiloAsync()));
        await fixture.StartApiAsync();
        api = fixture.Api;

        var model = await api.GetFromJsonAsync<JsonElement>("api/models/mp-restart");
        Assert.Equal(1, model.GetProperty("labels").GetProperty("stable").GetInt32());
        Assert.Equal(JsonSerializer.Deserialize<JsonElement>(before).GetProperty("versions").GetArrayLength(), model.GetProperty("versions").GetArrayLength());
        var prediction = await (await api.PostAsJsonAsync("api/models/mp-restart/predict", new { inputs = new[] { new[] { 1.0, 2, 3, 4 } } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, prediction.GetProperty("version").GetInt32());
        var dataset = await api.GetFromJsonAsync<JsonElement>("api/datasets/mp-restart-data");
        Assert.Equal(120, dataset.GetProperty("rows").GetInt32());
        var finished = await api.GetFromJsonAsync<JsonElement>(job);
        Assert.Equal("Succeeded", finished.GetProperty("state").GetString());
        var trained = await api.PostAsJsonAsync("api/models/mp-restart-trained/predict", new { inputs = new[] { new[] { 0.9, 0.1 } } });
        Assert.Equal(HttpStatusCode.OK, trained.StatusCode);

        // The Api process is an Orleans client of the silo processes: "anonymous" (not "system") shows the caller's
        // name travelled with the grain calls.
        var history = HistoryHttp.Lines(await HistoryHttp.HistoryAsync(api, "mp-history"));
        Assert.Equal([("anonymous", "label stable: 1 → 2"), ("anonymous", "label stable → 1")], history[..2]);
        Assert.Equal(1, HistoryHttp.Stable(await HistoryHttp.ModelAtAsync(api, "mp-history", between)));
        Assert.Equal(2, HistoryHttp.Stable(await HistoryHttp.ModelAtAsync(api, "mp-history", DateTimeOffset.UtcNow)));
    }

    private static async Task WaitForStateAsync(HttpClient api, string job, string state)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await api.GetFromJsonAsync<JsonElement>(job);
            var current = status.GetProperty("state").GetString();
            if (current == state)
            {
                return;
            }

            Assert.True(current is "Pending" or "Running", $"job ended {current}: {status}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"job still {current} after 90 s");
            await Task.Delay(200);
        }
    }
}
