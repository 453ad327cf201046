using System.Net.Http.Json;
using System.Text.Json;
using Tensorflow;
using Tensorflow.Serving;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Grpc.GrpcTensors;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// TF Serving's PredictionService and ModelService over gRPC: the fixture models through typed <c>float_val</c> and
/// <c>tensor_content</c>, with the values REST returns, the signature_def, and version status.
/// </summary>
public sealed class GrpcTensorFlowServingTests(GrpcApiFixture api) : IClassFixture<GrpcApiFixture>
{
    private PredictionService.PredictionServiceClient Predictions => new(api.Channel);

    [Theory]
    [InlineData(GrpcApiFixture.L1000, 1000, false)]
    [InlineData(GrpcApiFixture.L1000, 1000, true)]
    [InlineData(GrpcApiFixture.Scripted, 6, false)]
    [InlineData(GrpcApiFixture.Scripted, 6, true)]
    public async Task Fixture_models_answer_PyTorchs_values_as_REST_does(string model, int width, bool content)
    {
        var expected = model == GrpcApiFixture.L1000 ? Fixtures.L1000OnesOutput : Fixtures.ScriptedOnesOutput;
        var metadata = await Predictions.GetModelMetadataAsync(new GetModelMetadataRequest { ModelSpec = new ModelSpec { Name = model }, MetadataField = { "signature_def" } });
        var input = metadata.Metadata["signature_def"].Unpack<SignatureDefMap>().SignatureDef["serving_default"].Inputs.Keys.Single();

        var response = await Predictions.PredictAsync(new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = model, Version = 1, SignatureName = "serving_default" },
            Inputs = { [input] = FloatTensor([1, width], Ones(width), content) },
        });

        var output = response.Outputs.Values.Single();
        Assert.Equal(DataType.DtFloat, output.Dtype);
        Assert.Equal([1L, expected.Length], output.TensorShape.Dim.Select(d => d.Size));
        Assert.Equal(content, output.TensorContent.Length > 0);
        Fixtures.AssertClose(expected, Floats(output));
        Assert.Equal(model, response.ModelSpec.Name);
        Assert.Equal(1, response.ModelSpec.Version);

        var rest = await api.Client.PostAsJsonAsync($"/v1/models/{model}:predict", new { instances = new[] { Ones(width) } });
        var restValues = (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0].EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        Assert.Equal(restValues, Floats(output).Select(v => (float)v));
    }

    [Fact]
    public async Task Several_named_inputs_give_named_outputs_and_the_output_filter_keeps_the_asked_ones()
    {
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [2, 2, 2, 2, 2, 2];
        var request = new PredictRequest
        {
            ModelSpec = new ModelSpec { Name = GrpcApiFixture.Pair },
            Inputs = { ["a"] = FloatTensor([1, 6], a, content: true), ["b"] = FloatTensor([1, 6], b, content: false) },
        };
        var response = await Predictions.PredictAsync(request);
        Assert.Equal(["product", "sum"], response.Outputs.Keys.Order());
        Assert.Equal(a.Select(x => (double)(x + 2)), Floats(response.Outputs["sum"]));

        request.ModelSpec = new ModelSpec { Name = GrpcApiFixture.Pair };
        request.OutputFilter.Add("product");
        var filtered = await Predictions.PredictAsync(request);
        Assert.Equal("product", filtered.Outputs.Keys.Single());
        Assert.Equal(a.Select(x => (double)(x * 2)), Floats(filtered.Outputs["product"]));
    }

    [Fact]
    public async Task Metadata_has_the_serving_default_signature_def_with_dtypes_and_shapes()
    {
        var response = await Predictions.GetModelMetadataAsync(new GetModelMetadataRequest { ModelSpec = new ModelSpec { Name = GrpcApiFixture.Pair }, MetadataField = { "signature_def" } });
        var signature = response.Metadata["signature_def"].Unpack<SignatureDefMap>().SignatureDef["serving_default"];
        Assert.Equal("tensorflow/serving/predict", signature.MethodName);
        Assert.Equal(["a", "b"], signature.Inputs.Keys.Order());
        Assert.Equal(["product", "sum"], signature.Outputs.Keys.Order());
        Assert.Equal(DataType.DtFloat, signature.Inputs["a"].Dtype);
        Assert.Equal([-1L, 6], signature.Inputs["a"].TensorShape.Dim.Select(d => d.Size));
        Assert.Equal(1, response.ModelSpec.Version);
    }

    [Fact]
    public async Task Model_status_lists_the_versions_as_available()
    {
        var models = new ModelService.ModelServiceClient(api.Channel);
        var all = await models.GetModelStatusAsync(new GetModelStatusRequest { ModelSpec = new ModelSpec { Name = GrpcApiFixture.L1000 } });
        var version = Assert.Single(all.ModelVersionStatus);
        Assert.Equal(1, version.Version);
        Assert.Equal(ModelVersionStatus.Types.State.Available, version.State);
        Assert.Equal(Tensorflow.Error.Code.Ok, version.Status.ErrorCode);

        var one = await models.GetModelStatusAsync(new GetModelStatusRequest { ModelSpec = new ModelSpec { Name = GrpcApiFixture.L1000, Version = 1 } });
        Assert.Equal(1, Assert.Single(one.ModelVersionStatus).Version);
    }
}
