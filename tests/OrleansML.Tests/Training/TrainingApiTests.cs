using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Datasets;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

public sealed class TrainingApiTests(EmbeddedApiFixture api) : IClassFixture<EmbeddedApiFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private HttpClient Http => api.Client;

    private async Task<HttpResponseMessage> UploadAsync(string name, string csv, string label = "Class") =>
        await Http.PostAsync($"/api/datasets/{name}?label={label}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    private async Task EnsureSmallDatasetAsync() =>
        (await UploadAsync("small", TrainingTestKit.SyntheticCsv(60, seed: 1))).EnsureSuccessStatusCode();

    private static object Job(string model = "api-model", string dataset = "small", int epochs = 1, int batchSize = 8, double learningRate = 0.1, int? workers = null, bool architecture = true) => new
    {
        model,
        dataset,
        architecture = architecture ? new { type = "mlp", inputs = 6, hidden = new[] { 8 }, outputs = 3 } : null,
        epochs,
        batchSize,
        learningRate,
        optimizer = "sgd",
        seed = 1,
        workers,
    };

    private async Task AssertRefusedAsync(object job, string expected)
    {
        var response = await Http.PostAsJsonAsync("/api/training/jobs", job);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains(expected, body);
        Assert.Null(response.Headers.Location);
        var model = await api.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IModelGrain>("api-model").GetAsync();
        Assert.Null(model);
    }

    [Fact]
    public async Task Uploading_optdigits_reports_rows_columns_and_sorted_label_classes()
    {
        var response = await Http.PostAsync("/api/datasets/optdigits-upload?label=Class",
            new MultipartFormDataContent { { new StreamContent(File.OpenRead(Fixtures.OptDigitsTrain)), "file", "optdigits.tra" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var dataset = (await Http.GetFromJsonAsync<DatasetInfo>("/api/datasets/optdigits-upload", Json))!;
        Assert.Equal(3823, dataset.Rows);
        Assert.Equal(64, dataset.Columns.Length);
        Assert.Equal("Block 1", dataset.Columns[0]);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), dataset.LabelClasses!);
        Assert.Equal(1, dataset.PartitionCount);
        var all = (await Http.GetFromJsonAsync<DatasetInfo[]>("/api/datasets", Json))!;
        Assert.Contains(all, d => d.Name == "optdigits-upload");
    }

    [Theory]
    [InlineData("bad-cell", "a,b,Class\n1,2,0\n3,x7,1\n", "Class", "row 3, column 'b': 'x7' is not a number")]
    [InlineData("nul-cell", "a,b,Class\n1,2\0,0\n", "Class", "row 2, column 'b'")]
    [InlineData("no-label", "a,b,c\n1,2,0\n", "Class", "label column 'Class' is not in the header")]
    [InlineData("empty", "a,b,Class\n", "Class", "the dataset is empty")]
    [InlineData("empty-file", "", "Class", "the dataset is empty")]
    [InlineData("bad..name", "a,Class\n1,0\n", "Class", "dataset name 'bad..name' is invalid")]
    public async Task A_bad_upload_is_refused_with_400_naming_the_problem_and_nothing_is_stored(string name, string csv, string label, string expected)
    {
        var response = await UploadAsync(name, csv, label);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/datasets/{name}")).StatusCode);
        var partitions = Path.Combine(api.DataDirectory, "artifacts", "datasets", name);
        Assert.False(Directory.Exists(partitions) && Directory.EnumerateFiles(partitions, "*", SearchOption.AllDirectories).Any());
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n\r\na,Cla", "ends before its closing boundary")]
    [InlineData("multipart/form-data; boundary=other", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n\r\na,Class\n1,0\r\n--b--\r\n", "ends before its closing boundary")]
    [InlineData("multipart/form-data", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\n\r\na,Class\n1,0\r\n--b--\r\n", "boundary")]
    public async Task A_malformed_multipart_upload_is_refused_with_400_naming_the_problem(string contentType, string body, string expected)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Http.PostAsync("/api/datasets/multipart-bad?label=Class", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/datasets/multipart-bad")).StatusCode);
    }

    [Fact]
    public async Task A_job_on_an_unknown_dataset_is_refused() =>
        await AssertRefusedAsync(Job(dataset: "no-such-dataset"), "dataset 'no-such-dataset' does not exist");

    [Fact]
    public async Task A_job_for_a_new_model_without_architecture_is_refused()
    {
        await EnsureSmallDatasetAsync();
        await AssertRefusedAsync(Job(architecture: false), "model 'api-model' does not exist and the job gives no architecture");
    }

    [Fact]
    public async Task A_batch_smaller_than_the_worker_count_is_refused()
    {
        await EnsureSmallDatasetAsync();
        await AssertRefusedAsync(Job(batchSize: 2, workers: 4), "batchSize 2 is smaller than the 4 workers");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    public async Task A_learning_rate_that_is_not_positive_is_refused(double learningRate)
    {
        await EnsureSmallDatasetAsync();
        await AssertRefusedAsync(Job(learningRate: learningRate), "learningRate must be a positive number");
    }

    [Fact]
    public async Task Zero_epochs_are_refused()
    {
        await EnsureSmallDatasetAsync();
        await AssertRefusedAsync(Job(epochs: 0), "epochs must be at least 1");
    }

    [Fact]
    public async Task An_unknown_job_is_404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/training/jobs/{Guid.NewGuid():N}")).StatusCode);

    [Fact]
    public async Task Optdigits_through_REST_trains_streams_progress_and_the_new_version_predicts_the_test_set_through_KServe_V2()
    {
        var upload = await Http.PostAsync("/api/datasets/optdigits-rest?label=Class",
            new StreamContent(File.OpenRead(Fixtures.OptDigitsTrain)) { Headers = { { "Content-Type", "text/csv" } } });
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        var start = await Http.PostAsJsonAsync("/api/training/jobs", TrainingTestKit.OptDigitsJob("digits-rest", "optdigits-rest"), Json);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();

        using (var events = await Http.GetAsync($"{location}/events", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", events.Content.Headers.ContentType!.MediaType);
            using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
            var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("event: ", first);
        }

        TrainingJobStatus status;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            status = (await Http.GetFromJsonAsync<TrainingJobStatus>(location, Json, deadline.Token))!;
            if (status.IsFinished)
            {
                break;
            }

            await Task.Delay(100, deadline.Token);
        }

        Assert.True(status.State == TrainingState.Succeeded, status.FailureReason);
        Assert.Equal(8, status.History.Count);
        Assert.All(status.History, h => Assert.NotNull(h.ValidationAccuracy));
        Assert.Single(status.Workers);
        var (rows, labels) = KServeInference.OptDigitsTest();
        var logits = await KServeInference.InferAsync(Http, "digits-rest", status.ResultVersion!.Value, rows, batches: 4);
        var accuracy = KServeInference.Accuracy(logits, labels);
        Assert.True(accuracy >= 0.95, $"test accuracy through KServe V2 {accuracy:P2}");
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_and_registers_no_version()
    {
        (await UploadAsync("cancel-data", TrainingTestKit.SyntheticCsv(2000, seed: 5))).EnsureSuccessStatusCode();
        var start = await Http.PostAsJsonAsync("/api/training/jobs", Job(model: "cancelled-model", dataset: "cancel-data", epochs: 10000, batchSize: 4));
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();

        var cancelled = await Http.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        var status = (await Http.GetFromJsonAsync<TrainingJobStatus>(location, Json))!;
        Assert.Equal(TrainingState.Cancelled, status.State);
        var round = status.Round;
        var again = (await Http.GetFromJsonAsync<TrainingJobStatus>(location, Json))!;
        Assert.Equal(round, again.Round);
        Assert.Null(await api.Factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IModelGrain>("cancelled-model").GetAsync());
    }
}
