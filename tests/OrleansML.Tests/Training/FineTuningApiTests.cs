using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class FineTuningApiTests(EmbeddedApiFixture api) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private HttpClient Http => api.Client;

    private async Task<(float[][] Rows, int[] Labels)> UploadDatasetAsync(string name, string csv)
    {
        var response = await Http.PostAsync($"/api/datasets/{name}?label=Class", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return TrainingHttp.Parse(csv);
    }

    private async Task<JsonElement> VersionAsync(string model, int version) =>
        JsonDocument.Parse(await Http.GetStringAsync($"/api/models/{model}/versions/{version}")).RootElement;

    private async Task<double> LossAsync(string model, int version, (float[][] Rows, int[] Labels) data) =>
        KServeInference.CrossEntropy(await KServeInference.InferAsync(Http, model, version, data.Rows), data.Labels);

    [Fact]
    public async Task Fine_tuning_a_native_version_registers_a_new_version_from_the_job_with_lower_loss_on_the_data()
    {
        var data = await UploadDatasetAsync("tune-native-data", TrainingTestKit.SyntheticCsv(240, seed: 11));
        var trained = await TrainingHttp.RunAsync(Http, new
        {
            model = "tune-native",
            dataset = "tune-native-data",
            architecture = new { type = "mlp", inputs = 6, hidden = new[] { 16 }, outputs = 3 },
            epochs = 1,
            batchSize = 40,
            learningRate = 0.05,
            seed = 2,
        }, Deadline);
        Assert.True(trained.State == TrainingState.Succeeded, trained.FailureReason);
        var baseVersion = trained.ResultVersion!.Value;

        var tuned = await TrainingHttp.RunAsync(Http, new
        {
            model = "tune-native",
            dataset = "tune-native-data",
            baseVersion,
            epochs = 10,
            batchSize = 40,
            learningRate = 0.01,
            optimizer = "adam",
            seed = 3,
        }, Deadline);

        Assert.True(tuned.State == TrainingState.Succeeded, tuned.FailureReason);
        Assert.Equal(baseVersion + 1, tuned.ResultVersion);
        var version = await VersionAsync("tune-native", tuned.ResultVersion!.Value);
        Assert.Equal($"training:{tuned.Id}", version.GetProperty("source").GetString());
        Assert.Equal("Native", version.GetProperty("format").GetString());
        var before = await LossAsync("tune-native", baseVersion, data);
        var after = await LossAsync("tune-native", tuned.ResultVersion!.Value, data);
        Assert.True(after < before, $"loss on the data: base version {before:F4}, fine-tuned {after:F4}");
    }

    [Fact]
    public async Task Fine_tuning_the_pytorch_torchscript_fixture_registers_a_torchscript_version_that_serves_with_lower_loss()
    {
        (await Tests.Api.ApiFixture.UploadAsync(Http, "tune-l1000", Fixtures.L1000)).EnsureSuccessStatusCode();
        var data = await UploadDatasetAsync("tune-l1000-data", ThousandFeatureCsv(rows: 200, seed: 7));

        var tuned = await TrainingHttp.RunAsync(Http, new
        {
            model = "tune-l1000",
            dataset = "tune-l1000-data",
            baseVersion = 1,
            epochs = 5,
            batchSize = 20,
            learningRate = 0.001,
            optimizer = "adam",
            seed = 4,
        }, Deadline);

        Assert.True(tuned.State == TrainingState.Succeeded, tuned.FailureReason);
        Assert.Equal(2, tuned.ResultVersion);
        var version = await VersionAsync("tune-l1000", 2);
        Assert.Equal("TorchScript", version.GetProperty("format").GetString());
        Assert.Equal($"training:{tuned.Id}", version.GetProperty("source").GetString());
        var before = await LossAsync("tune-l1000", 1, data);
        var after = await LossAsync("tune-l1000", 2, data);
        Assert.True(after < before, $"loss on the data: PyTorch's version {before:F4}, fine-tuned {after:F4}");
    }

    [Fact]
    public async Task Fine_tuning_a_model_that_does_not_exist_is_refused_naming_it_and_leaves_nothing()
    {
        await UploadDatasetAsync("tune-refused-data", TrainingTestKit.SyntheticCsv(40, seed: 12));

        var response = await Http.PostAsJsonAsync("/api/training/jobs", new { model = "tune-ghost", dataset = "tune-refused-data", baseVersion = 1, epochs = 1, batchSize = 8 });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains("model 'tune-ghost' does not exist, so it has no version 1", body);
        Assert.Null(response.Headers.Location);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/models/tune-ghost")).StatusCode);
    }

    [Fact]
    public async Task Fine_tuning_a_base_version_that_does_not_exist_is_refused_naming_it_and_adds_no_version()
    {
        (await Tests.Api.ApiFixture.UploadAsync(Http, "tune-no-base", Fixtures.L1000)).EnsureSuccessStatusCode();
        await UploadDatasetAsync("tune-no-base-data", ThousandFeatureCsv(rows: 20, seed: 8));

        var response = await Http.PostAsJsonAsync("/api/training/jobs", new { model = "tune-no-base", dataset = "tune-no-base-data", baseVersion = 9, epochs = 1, batchSize = 8 });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains("model 'tune-no-base' has no version 9", body);
        Assert.Null(response.Headers.Location);
        var model = JsonDocument.Parse(await Http.GetStringAsync("/api/models/tune-no-base")).RootElement;
        Assert.Equal(1, model.GetProperty("versions").GetArrayLength());
    }

    /// <summary>
    /// 10 classes over 1000 features: noise in [-1, 1], and class c lifts its block of 100 features by 1, so the
    /// classes are separable and a fine-tuned model has something to learn that PyTorch's random weights do not know.
    /// </summary>
    private static string ThousandFeatureCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder(string.Join(',', Enumerable.Range(0, 1000).Select(i => $"f{i}"))).Append(",Class\n");
        for (var row = 0; row < rows; row++)
        {
            var label = row % 10;
            for (var i = 0; i < 1000; i++)
            {
                var value = random.NextDouble() * 2 - 1 + (i / 100 == label ? 1 : 0);
                text.Append(value.ToString("0.###", CultureInfo.InvariantCulture)).Append(',');
            }

            text.Append(label).Append('\n');
        }

        return text.ToString();
    }
}
