using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

/// <summary>
/// An Api that hosts its silo serves predictions from that silo's replicas directly: no predictor grain is activated
/// for them, and they are counted and answered as the grain would.
/// </summary>
public sealed class EmbeddedPredictionPathTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Predictions_in_embedded_mode_are_served_from_the_local_silo_without_a_predictor_grain()
    {
        await using var api = new ApiFactory(_data.Path);
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(client, "local-path", Fixtures.L1000)).StatusCode);

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ =>
            client.PostAsync("/api/models/local-path/predict", Json($$"""{"inputs": {{Ones(1000)}}}"""))));
        var silo = api.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();
        foreach (var answer in answers)
        {
            var prediction = await ReadJsonAsync(answer);
            Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(prediction.GetProperty("outputs")[0]));
            Assert.Equal(silo, prediction.GetProperty("silo").GetString());
        }

        var grains = api.Services.GetRequiredService<IGrainFactory>();
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        Assert.DoesNotContain(statistics, s => s.GrainType.Contains(nameof(PredictorGrain), StringComparison.Ordinal) && s.ActivationCount > 0);
        var stats = await ReadJsonAsync(await client.GetAsync("/v2/models/local-path/stats"));
        Assert.Equal(16, stats.GetProperty("model_stats")[0].GetProperty("inference_stats").GetProperty("success").GetProperty("count").GetInt32());
    }

    public void Dispose() => _data.Dispose();
}
