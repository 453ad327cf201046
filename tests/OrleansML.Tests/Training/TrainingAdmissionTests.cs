using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using OrleansML.Training;

namespace OrleansML.Tests.Training;

/// <summary>The cluster-wide cap on concurrent training jobs (<c>OrleansML:Training:MaxConcurrentJobs</c>), here 1.</summary>
public sealed class TrainingAdmissionTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly TempDirectory _data = new();

    private static object Job(string model, string dataset, int epochs) => new
    {
        model,
        dataset,
        architecture = new { type = "mlp", inputs = 6, hidden = new[] { 8 }, outputs = 3 },
        epochs,
        batchSize = 4,
        learningRate = 0.1,
        optimizer = "sgd",
        seed = 1,
    };

    [Fact]
    public async Task With_a_cap_of_one_a_second_job_is_429_and_stores_nothing_until_the_first_is_cancelled_or_finishes()
    {
        await using var api = new ApiFactory(_data.Path, settings: new Dictionary<string, string> { ["OrleansML:Training:MaxConcurrentJobs"] = "1" });
        var http = api.CreateClient();
        var grains = api.Services.GetRequiredService<IGrainFactory>();
        (await http.PostAsync("/api/datasets/cap-data?label=Class", new StringContent(TrainingTestKit.SyntheticCsv(400, seed: 3), Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        var first = await http.PostAsJsonAsync("/api/training/jobs", Job("cap-long", "cap-data", epochs: 10000));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var running = first.Headers.Location!.ToString();

        var refused = await http.PostAsJsonAsync("/api/training/jobs", Job("cap-refused", "cap-data", epochs: 1));
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{refused.StatusCode}: {problem}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 1 training job may run at once; 1 is running", problem);
        Assert.Null(refused.Headers.Location);
        Assert.Null(await grains.GetGrain<IModelGrain>("cap-refused").GetAsync());
        Assert.Single(StoredJobs());

        var status = (await http.GetFromJsonAsync<TrainingJobStatus>(running, Json))!;
        Assert.False(status.IsFinished, $"{status.State}: {status.FailureReason}");
        Assert.Empty(status.Recoveries);

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(running)).StatusCode);
        var afterCancel = await http.PostAsJsonAsync("/api/training/jobs", Job("cap-short", "cap-data", epochs: 1));
        Assert.Equal(HttpStatusCode.Accepted, afterCancel.StatusCode);
        var finished = await Poll.UntilAsync(
            () => http.GetFromJsonAsync<TrainingJobStatus>(afterCancel.Headers.Location!.ToString(), Json),
            s => s.IsFinished, s => s.IsFinished, TimeSpan.FromSeconds(60), s => $"{s.State} at round {s.Round}");
        Assert.True(finished.State == TrainingState.Succeeded, finished.FailureReason);

        var afterFinish = await http.PostAsJsonAsync("/api/training/jobs", Job("cap-next", "cap-data", epochs: 10000));
        Assert.Equal(HttpStatusCode.Accepted, afterFinish.StatusCode);
        var next = afterFinish.Headers.Location!.ToString();
        // A retried start of a job that holds the place keeps it instead of taking a second one.
        var again = await grains.GetGrain<ITrainingAdmissionGrain>(0).AdmitAsync(next.Split('/')[^1]);
        Assert.Equal(new Admission(true, 1, 1), again);
        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(next)).StatusCode);
    }

    /// <summary>The stored job states (embedded mode keeps grain state as files named by key and state name).</summary>
    private string[] StoredJobs() =>
        Directory.GetFiles(Path.Combine(_data.Path, "grains"), "*.job.bin", SearchOption.AllDirectories);

    public void Dispose() => _data.Dispose();
}
