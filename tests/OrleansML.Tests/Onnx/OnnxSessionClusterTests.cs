using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Cluster;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Onnx;

/// <summary>
/// New ONNX session settings on a three-silo cluster: every silo reopens the version's session with them, and
/// requests that run on every silo while the change happens all answer the reference outputs (the old replicas
/// finish what they hold, the new ones are loaded before routing moves to them).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OnnxSessionClusterTests(ClusterFixture fixture)
{
    private const string Fixture = "linear_no_bias";

    [Fact]
    public async Task Every_silo_reopens_the_session_with_the_new_settings_while_requests_keep_answering()
    {
        const string model = "cluster-onnx-session";
        var staging = $"staging/{Guid.NewGuid():N}";
        await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>().WriteAsync(staging, File.OpenRead(OnnxFixtures.Model(Fixture)));
        await fixture.Client.GetGrain<IModelGrain>(model).AddVersionAsync(new NewModelVersion { StagingKey = staging });
        var inputs = OnnxFixtures.Inputs(Fixture).Select(Tensor).ToArray();
        var predictors = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<IGrainFactory>().GetGrain<IPredictorGrain>(model)).ToArray();
        foreach (var predictor in predictors)
        {
            AssertReference(await predictor.PredictAsync(new PredictionRequest(inputs, null, null)));
        }

        using var done = new CancellationTokenSource();
        var load = predictors.Select(predictor => Task.Run(async () =>
        {
            do
            {
                AssertReference(await predictor.PredictAsync(new PredictionRequest(inputs, null, null)));
            }
            while (!done.IsCancellationRequested);
        })).ToArray();

        var settings = new OnnxSessionSettings(IntraOpThreads: 1, InterOpThreads: 2, GraphOptimization: GraphOptimization.Extended);
        var info = await fixture.Client.GetGrain<IModelGrain>(model).SetOnnxSessionAsync(settings);
        done.Cancel();
        await Task.WhenAll(load);

        Assert.Equal(settings, info.OnnxSession);
        foreach (var silo in fixture.Cluster.Silos)
        {
            var loaded = await fixture.Client.GetGrain<ISiloAgentGrain>(silo.SiloAddress.ToParsableString()).GetLoadedModelsAsync();
            var replica = Assert.Single(loaded, m => m.Model == model);
            Assert.Equal(settings, replica.OnnxSession);
        }

        foreach (var predictor in predictors)
        {
            AssertReference(await predictor.PredictAsync(new PredictionRequest(inputs, null, null)));
        }
    }

    private static TensorData Tensor(JsonElement reference)
    {
        var datatype = TensorDataTypes.Parse(OnnxFixtures.Datatype(reference))!.Value;
        return new TensorData(reference.GetProperty("name").GetString()!, datatype, OnnxFixtures.Shape(reference), OnnxFixtures.Bytes(reference));
    }

    private static void AssertReference(Prediction prediction)
    {
        foreach (var expected in OnnxFixtures.Outputs(Fixture))
        {
            var output = prediction.Outputs.Single(o => o.Name == expected.GetProperty("name").GetString());
            var datatype = output.DataType.Name();
            OnnxFixtures.AssertMatches(expected, datatype, output.Shape, OnnxFixtures.Decode(datatype, output.Data));
        }
    }
}
