using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansML.Scoring;
using OrleansML.Tests.Infrastructure;
using OrleansML.Tests.Training;
using OrleansML.Training;

namespace OrleansML.Tests.Scoring;

public sealed class ScoringApiTests(EmbeddedApiFixture api) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private HttpClient Http => api.Client;

    private async Task UploadAsync(string name, HttpContent csv) =>
        Assert.Equal(HttpStatusCode.Created, (await Http.PostAsync($"/api/datasets/{name}?label=Class", csv)).StatusCode);

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private async Task<T> WaitAsync<T>(string location, Func<T, bool> finished, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        while (true)
        {
            var status = (await Http.GetFromJsonAsync<T>(location, Json, timeout.Token))!;
            if (finished(status))
            {
                return status;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Creates a small MLP; every case of a theory shares the fixture, so an existing one (409) is fine.</summary>
    private async Task EnsureModelAsync(string name, int inputs)
    {
        var created = await Http.PostAsJsonAsync("/api/models", new { name, architecture = new { type = "mlp", inputs, hidden = new[] { 4 }, outputs = 3 }, seed = 1 });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
    }

    private async Task<ScoringJobStatus> ScoreAsync(object job)
    {
        var start = await Http.PostAsJsonAsync("/api/scoring/jobs", job);
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        return await WaitAsync<ScoringJobStatus>(start.Headers.Location!.ToString(), s => s.IsFinished, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Scoring_optdigits_test_set_gives_the_row_by_row_api_accuracy_and_every_row_exactly_once()
    {
        await UploadAsync("digits-train", new StreamContent(File.OpenRead(Fixtures.OptDigitsTrain)) { Headers = { { "Content-Type", "text/csv" } } });
        await UploadAsync("digits-test", new StreamContent(File.OpenRead(Fixtures.OptDigitsTest)) { Headers = { { "Content-Type", "text/csv" } } });
        var training = await Http.PostAsJsonAsync("/api/training/jobs", TrainingTestKit.OptDigitsJob("digits-score", "digits-train") with { Epochs = 3, Promote = "stable" }, Json);
        Assert.Equal(HttpStatusCode.Accepted, training.StatusCode);
        var trained = await WaitAsync<TrainingJobStatus>(training.Headers.Location!.ToString(), s => s.IsFinished, TimeSpan.FromSeconds(120));
        Assert.True(trained.State == TrainingState.Succeeded, trained.FailureReason);

        long metered = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ScoringMetrics.MeterName && instrument.Name == "orleansml.scoring.rows")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "model", Value: "digits-score" })
                {
                    Interlocked.Add(ref metered, value);
                }
            }
        });
        listener.Start();

        var start = await Http.PostAsJsonAsync("/api/scoring/jobs", new { model = "digits-score", label = "stable", dataset = "digits-test", outputDataset = "digits-scored" });
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        using (var events = await Http.GetAsync($"{location}/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", events.Content.Headers.ContentType!.MediaType);
            var stream = await events.Content.ReadAsStringAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("event: finished", stream);
            Assert.Contains("\"state\":\"Succeeded\"", stream);
        }

        var status = await WaitAsync<ScoringJobStatus>(location, s => s.IsFinished, TimeSpan.FromSeconds(60));
        Assert.True(status.State == ScoringState.Succeeded, status.FailureReason);
        Assert.Equal((1797, 1797L), (status.RowsTotal, status.RowsScored));
        Assert.Equal(status.PartitionsTotal, status.PartitionsDone);
        Assert.Equal(trained.ResultVersion, status.ModelVersion);
        Assert.True(status.RowsPerSecond > 0);
        Assert.True(Interlocked.Read(ref metered) >= 1797, $"metered {metered} rows");

        var content = await Http.GetAsync("/api/datasets/digits-scored/content");
        Assert.Equal("text/csv", content.Content.Headers.ContentType!.MediaType);
        var (header, byId) = ScoringTestKit.ParseOutput(await content.Content.ReadAsStringAsync(), 1797);
        Assert.Equal(["id", .. Enumerable.Range(0, 10).Select(k => $"p{k}"), "class"], header);

        var lines = File.ReadAllLines(Fixtures.OptDigitsTest).Skip(1).Where(l => l.Length > 0).ToArray();
        int batchCorrect = 0, rowCorrect = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var values = lines[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var predict = await Http.PostAsJsonAsync("/api/models/digits-score/predict", new { inputs = values[..64], label = "stable" });
            using var body = JsonDocument.Parse(await predict.Content.ReadAsStringAsync());
            var outputs = body.RootElement.GetProperty("outputs")[0].EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var single = Array.IndexOf(outputs, outputs.Max());
            rowCorrect += single == (int)values[64] ? 1 : 0;
            batchCorrect += (int)byId[i][^1] == (int)values[64] ? 1 : 0;
            Assert.Equal(1.0, byId[i][1..^1].Sum(), 4);
        }

        Assert.Equal(rowCorrect, batchCorrect);
        Assert.True((double)batchCorrect / lines.Length >= 0.9, $"accuracy {(double)batchCorrect / lines.Length:P2}");
        var uploaded = await Http.GetAsync("/api/datasets/digits-test/content");
        Assert.Equal(1798, (await uploaded.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Scoring_a_model_as_values_writes_id_and_y_columns_and_a_taken_output_name_is_409()
    {
        await UploadAsync("values-input", Csv(TrainingTestKit.SyntheticCsv(50, seed: 2)));
        (await Http.PostAsJsonAsync("/api/models", new { name = "values-model", architecture = new { type = "mlp", inputs = 6, hidden = new[] { 4 }, outputs = 3 }, seed = 1 })).EnsureSuccessStatusCode();

        var status = await ScoreAsync(new { model = "values-model", version = 1, dataset = "values-input", outputDataset = "values-output", output = "values" });

        Assert.True(status.State == ScoringState.Succeeded, status.FailureReason);
        var (header, _) = ScoringTestKit.ParseOutput(await Http.GetStringAsync("/api/datasets/values-output/content"), 50);
        Assert.Equal(["id", "y0", "y1", "y2"], header);
        var again = await Http.PostAsJsonAsync("/api/scoring/jobs", new { model = "values-model", dataset = "values-input", outputDataset = "values-output" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("values-output", await again.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("no-such-model", "bad-input", "bad-output", null, null, HttpStatusCode.NotFound, "no-such-model")]
    [InlineData("bad-model", "no-such-dataset", "bad-output", null, null, HttpStatusCode.NotFound, "no-such-dataset")]
    [InlineData("bad-model", "bad-input", "bad-input", null, null, HttpStatusCode.Conflict, "bad-input")]
    [InlineData("bad-model", "bad-input", "bad/output", null, null, HttpStatusCode.BadRequest, "bad/output")]
    [InlineData("..bad", "bad-input", "bad-output", null, null, HttpStatusCode.BadRequest, "..bad")]
    [InlineData("bad-model", "bad-input", "bad-output", 99, null, HttpStatusCode.NotFound, "version 99")]
    [InlineData("bad-model", "bad-input", "bad-output", null, "nope", HttpStatusCode.NotFound, "label 'nope'")]
    [InlineData("narrow-model", "bad-input", "bad-output", null, null, HttpStatusCode.BadRequest, "6 features")]
    public async Task Scoring_bad_input_is_refused_naming_it_and_leaves_nothing_behind(
        string model, string dataset, string output, int? version, string? label, HttpStatusCode expected, string named)
    {
        await UploadAsync("bad-input", Csv(TrainingTestKit.SyntheticCsv(20, seed: 4)));
        await EnsureModelAsync("bad-model", inputs: 6);
        await EnsureModelAsync("narrow-model", inputs: 4);

        var response = await Http.PostAsJsonAsync("/api/scoring/jobs", new { model, version, label, dataset, outputDataset = output });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        Assert.Contains(named, body);
        Assert.Null(response.Headers.Location);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/datasets/bad-output")).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(api.DataDirectory, "artifacts", "scoring")) &&
            Directory.EnumerateFiles(Path.Combine(api.DataDirectory, "artifacts", "scoring"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task After_refused_jobs_the_output_name_is_free_and_unknown_jobs_are_404()
    {
        await UploadAsync("free-input", Csv(TrainingTestKit.SyntheticCsv(20, seed: 6)));
        (await Http.PostAsJsonAsync("/api/models", new { name = "free-model", architecture = new { type = "mlp", inputs = 6, hidden = new[] { 4 }, outputs = 3 }, seed = 1 })).EnsureSuccessStatusCode();
        var refused = await Http.PostAsJsonAsync("/api/scoring/jobs", new { model = "free-model", version = 42, dataset = "free-input", outputDataset = "free-output" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        var status = await ScoreAsync(new { model = "free-model", dataset = "free-input", outputDataset = "free-output", partitions = 4 });

        Assert.True(status.State == ScoringState.Succeeded, status.FailureReason);
        Assert.Equal(1, status.PartitionsTotal);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/scoring/jobs/{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/datasets/no-such-dataset/content")).StatusCode);
    }
}
