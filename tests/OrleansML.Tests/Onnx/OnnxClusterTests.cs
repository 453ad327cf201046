using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Onnx;

/// <summary>The ONNX backend fixtures uploaded once to a three-silo cluster answer their reference outputs from every silo.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OnnxClusterTests(ClusterFixture fixture)
{
    private static TensorData Tensor(JsonElement reference)
    {
        var datatype = TensorDataTypes.Parse(OnnxFixtures.Datatype(reference))!.Value;
        return new TensorData(reference.GetProperty("name").GetString()!, datatype, OnnxFixtures.Shape(reference), OnnxFixtures.Bytes(reference));
    }

    [Theory]
    [MemberData(nameof(OnnxFixtures.All), MemberType = typeof(OnnxFixtures))]
    public async Task Every_backend_fixture_answers_its_reference_outputs_from_every_silo(string name)
    {
        var model = $"cluster-onnx-{name.Replace('_', '-')}";
        var staging = $"staging/{Guid.NewGuid():N}";
        await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>().WriteAsync(staging, File.OpenRead(OnnxFixtures.Model(name)));
        var version = await fixture.Client.GetGrain<IModelGrain>(model).AddVersionAsync(new NewModelVersion { StagingKey = staging });
        Assert.Equal(ModelFormat.Onnx, version.Format);
        var inputs = OnnxFixtures.Inputs(name).Select(Tensor).ToArray();

        var silos = new HashSet<string>();
        foreach (var silo in fixture.Cluster.Silos)
        {
            var grains = silo.ServiceProvider.GetRequiredService<IGrainFactory>();
            var prediction = await grains.GetGrain<IPredictorGrain>(model).PredictAsync(new PredictionRequest(inputs, null, null));
            foreach (var expected in OnnxFixtures.Outputs(name))
            {
                var output = prediction.Outputs.Single(o => o.Name == expected.GetProperty("name").GetString());
                var datatype = output.DataType.Name();
                OnnxFixtures.AssertMatches(expected, datatype, output.Shape, OnnxFixtures.Decode(datatype, output.Data));
            }

            silos.Add(prediction.Silo);
        }

        Assert.Equal(ClusterFixture.SiloCount, silos.Count);
    }
}
