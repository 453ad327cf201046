using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Jobs;

/// <summary>GET /api/training/jobs and /api/scoring/jobs over the embedded API: what a user who lost a job id sees.</summary>
public sealed class JobListApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task Training_jobs_are_listed_newest_first_filtered_by_model_and_state_and_paged()
    {
        var dataset = await DatasetAsync("list-train");
        var model = $"list-{Guid.NewGuid():N}"[..20];
        var older = await StartAsync("/api/training/jobs", TrainingJob(model, dataset));
        await FinishedAsync($"/api/training/jobs/{older}");
        var newer = await StartAsync("/api/training/jobs", TrainingJob(model, dataset));
        await FinishedAsync($"/api/training/jobs/{newer}");

        var list = await ListAsync($"/api/training/jobs?model={model}");
        Assert.Equal([newer, older], Ids(list));
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        var row = list.GetProperty("jobs")[0];
        Assert.Equal("Succeeded", row.GetProperty("state").GetString());
        Assert.Equal(model, row.GetProperty("model").GetString());
        Assert.Equal(1.0, row.GetProperty("progress").GetDouble());
        var (created, started, finished) = (Time(row, "createdAt"), Time(row, "startedAt"), Time(row, "finishedAt"));
        Assert.True(created <= started && started <= finished, row.ToString());

        var first = await ListAsync($"/api/training/jobs?model={model}&state=succeeded&pageSize=1");
        Assert.Equal([newer], Ids(first));
        var next = first.GetProperty("next").GetString()!;
        var second = await ListAsync(next);
        Assert.Equal([older], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Empty(Ids(await ListAsync($"/api/training/jobs?model={model}&state=Running")));
    }

    [Fact]
    public async Task A_running_training_job_is_listed_as_running_with_its_live_progress()
    {
        var dataset = await DatasetAsync("list-live");
        var model = $"live-{Guid.NewGuid():N}"[..20];
        var job = await StartAsync("/api/training/jobs", TrainingJob(model, dataset, epochs: 100_000));
        try
        {
            var row = await Poll.UntilAsync(
                async Task<Box?> () => new Box((await ListAsync($"/api/training/jobs?model={model}")).GetProperty("jobs")[0]),
                r => r.Json.GetProperty("state").GetString() == "Running" && r.Json.GetProperty("progress").GetDouble() > 0,
                _ => false, TimeSpan.FromSeconds(60), r => r.Json.ToString());
            Assert.Equal(job, row.Json.GetProperty("id").GetString());
            Assert.InRange(row.Json.GetProperty("progress").GetDouble(), double.Epsilon, 0.5);
            Assert.Equal(JsonValueKind.Null, row.Json.GetProperty("finishedAt").ValueKind);
        }
        finally
        {
            await Client.DeleteAsync($"/api/training/jobs/{job}");
        }

        var cancelled = await ListAsync($"/api/training/jobs?model={model}&state=cancelled");
        Assert.Equal([job], Ids(cancelled));
    }

    [Fact]
    public async Task Scoring_jobs_are_listed_with_their_model_and_state()
    {
        var dataset = await DatasetAsync("list-score");
        var model = $"score-{Guid.NewGuid():N}"[..20];
        (await Client.PostAsJsonAsync("/api/models", new { name = model, architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 } })).EnsureSuccessStatusCode();
        var job = await StartAsync("/api/scoring/jobs", new { model, dataset, outputDataset = $"{dataset}-out" });
        await FinishedAsync($"/api/scoring/jobs/{job}");

        var list = await ListAsync($"/api/scoring/jobs?model={model}&state=Succeeded");
        Assert.Equal([job], Ids(list));
        Assert.Equal(1.0, list.GetProperty("jobs")[0].GetProperty("progress").GetDouble());
        Assert.Contains(job, Ids(await ListAsync("/api/scoring/jobs?pageSize=100")));
    }

    [Theory]
    [InlineData("/api/training/jobs?page=abc", "'page'")]
    [InlineData("/api/training/jobs?page=0", "'page'")]
    [InlineData("/api/training/jobs?pageSize=101", "'pageSize'")]
    [InlineData("/api/scoring/jobs?pageSize=-1", "'pageSize'")]
    [InlineData("/api/training/jobs?state=bogus", "'state'")]
    [InlineData("/api/scoring/jobs?state=Cancelled", "'state'")]
    [InlineData("/api/scoring/jobs?model=..%2Fx", "'model'")]
    public async Task A_list_query_that_does_not_parse_is_400_naming_the_parameter(string path, string named)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiFixture.ReadJsonAsync(response);
        Assert.Contains(named, problem.GetProperty("detail").GetString());
    }

    private static object TrainingJob(string model, string dataset, int epochs = 1) => new
    {
        model, dataset, epochs, batchSize = 8, learningRate = 0.01, optimizer = "sgd", seed = 1,
        architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 },
    };

    private async Task<string> DatasetAsync(string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..24];
        var csv = new StringBuilder("a,b,c,e,Class\n");
        for (var i = 0; i < 64; i++)
        {
            csv.Append($"{i % 5},{i % 3},{i % 7},{i % 2},{i % 3}\n");
        }

        (await Client.PostAsync($"/api/datasets/{name}?label=Class", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        return name;
    }

    private async Task<string> StartAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await ApiFixture.ReadJsonAsync(response)).GetProperty("id").GetString()!;
    }

    private async Task FinishedAsync(string path)
    {
        var status = await Poll.UntilAsync(
            async Task<Box?> () => new Box(await Client.GetFromJsonAsync<JsonElement>(path)),
            s => s.Json.GetProperty("state").GetString() is "Succeeded" or "Failed" or "Cancelled", _ => false, TimeSpan.FromSeconds(60), s => s.Json.ToString());
        Assert.Equal("Succeeded", status.Json.GetProperty("state").GetString());
    }

    private async Task<JsonElement> ListAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ApiFixture.ReadJsonAsync(response);
    }

    private static string[] Ids(JsonElement list) => [.. list.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!)];

    private static DateTimeOffset Time(JsonElement row, string property) => row.GetProperty(property).GetDateTimeOffset();

    private sealed record Box(JsonElement Json);
}
