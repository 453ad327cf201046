using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansML.Scoring;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using OrleansML.Tests.Scoring;
using OrleansML.Tests.Training;

namespace OrleansML.Tests.Onnx;

/// <summary>An ONNX version is scored over a stored dataset like any other; training it is refused.</summary>
public sealed class OnnxScoringAndTrainingTests(EmbeddedApiFixture api) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly float[][] Rows = Enumerable.Range(0, 20).Select(r => new[] { r * 0.5f, 1 - r, r % 3, -0.25f * r }).ToArray();

    private HttpClient Http => api.Client;

    private async Task SetUpAsync(string model, string dataset)
    {
        Assert.Equal(HttpStatusCode.Created, (await ApiFixture.UploadAsync(Http, model, OnnxModels.GemmRelu())).StatusCode);
        var csv = new StringBuilder("a,b,c,d,Class\n");
        foreach (var row in Rows)
        {
            csv.AppendLine(string.Join(",", row.Select(v => v.ToString(CultureInfo.InvariantCulture))) + ",0");
        }

        var upload = await Http.PostAsync($"/api/datasets/{dataset}?label=Class", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
    }

    [Fact]
    public async Task Scoring_an_onnx_version_writes_what_the_model_computes_for_every_row()
    {
        await SetUpAsync("onnx-scored", "onnx-scoring-rows");

        var start = await Http.PostAsJsonAsync("/api/scoring/jobs", new { model = "onnx-scored", version = 1, dataset = "onnx-scoring-rows", outputDataset = "onnx-scored-out", output = "values" });
        Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        ScoringJobStatus status;
        do
        {
            await Task.Delay(50, timeout.Token);
            status = (await Http.GetFromJsonAsync<ScoringJobStatus>(start.Headers.Location!.ToString(), Json, timeout.Token))!;
        }
        while (!status.IsFinished);

        Assert.Equal(ScoringState.Succeeded, status.State);
        var (_, byId) = ScoringTestKit.ParseOutput(await Http.GetStringAsync("/api/datasets/onnx-scored-out/content"), Rows.Length);
        foreach (var (id, values) in byId)
        {
            Fixtures.AssertClose(OnnxModels.Expected(Rows[id]).Select(v => (double)v).ToArray(), values[1..]);
        }
    }

    [Fact]
    public async Task Training_an_onnx_version_is_refused_as_served_and_scored_not_trained()
    {
        await SetUpAsync("onnx-untrained", "onnx-training-rows");

        var response = await Http.PostAsJsonAsync("/api/training/jobs", TrainingTestKit.OptDigitsJob("onnx-untrained", "onnx-training-rows") with { Architecture = null }, Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ONNX versions are served and scored, not trained", await response.Content.ReadAsStringAsync());
    }
}
