using System.Net;
using System.Net.Http.Json;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.ClusterMode;

/// <summary>samples/ClusterClient, standing for another .NET service, calls the process cluster through Redis.</summary>
[Collection(ProcessClusterCollection.Name)]
public sealed class SampleClientTests(ProcessClusterFixture fixture)
{
    [Fact]
    public async Task The_sample_client_lists_models_and_predicts_through_redis_clustering()
    {
        var created = await fixture.Api.PostAsJsonAsync("api/models", new
        {
            name = "sample-client-mlp",
            architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 },
            seed = 1,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var (exitCode, output) = await SampleClient.RunAsync(
        [
            "--Redis", fixture.RedisConnectionString, "--ClusterId", fixture.ClusterId, "--ServiceId", fixture.ServiceId,
            "--Model", "sample-client-mlp", "--Input", "1,2,3,4",
        ]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("sample-client-mlp", output.Split('\n').Single(l => l.StartsWith("models:", StringComparison.Ordinal)));
        var prediction = output.Split('\n').Single(l => l.StartsWith("prediction:", StringComparison.Ordinal));
        Assert.Contains("model=sample-client-mlp version=1 ", prediction);
        Assert.Equal(3, prediction[(prediction.IndexOf("outputs=[", StringComparison.Ordinal) + 9)..].Split(',').Length);
    }
}
