using System.Net;
using OrleansML.Serving;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Onnx;

/// <summary>What an ONNX upload or request is refused for: each a 400 naming the problem, and nothing stored.</summary>
public sealed class OnnxRefusalTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    private async Task<string> RefusedAsync(string model, byte[] artifact)
    {
        var response = await UploadAsync(Client, model, artifact);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/models/{model}")).StatusCode);
        return body;
    }

    [Fact]
    public async Task A_truncated_onnx_file_is_refused_as_truncated()
    {
        var body = await RefusedAsync("onnx-truncated", OnnxModels.GemmRelu()[..^20]);

        Assert.Contains("truncated", body);
    }

    [Fact]
    public async Task A_protobuf_that_is_not_a_model_is_refused()
    {
        var tensor = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(OnnxFixtures.Model("conv2d"))!, "input_0.pb"));

        var body = await RefusedAsync("onnx-tensorproto", tensor);

        Assert.Contains("not an ONNX model", body);
    }

    [Fact]
    public async Task An_opset_onnx_runtime_no_longer_implements_is_refused_with_its_reason()
    {
        var body = await RefusedAsync("onnx-opset6", OnnxModels.GemmRelu(opset: 6));

        Assert.Contains("ONNX Runtime cannot load the model", body);
        Assert.Contains("Gemm", body);
    }

    [Fact]
    public async Task An_operator_onnx_runtime_lacks_is_refused_with_its_reason()
    {
        var body = await RefusedAsync("onnx-unknown-op", OnnxModels.GemmRelu(op: "NoSuchOperator"));

        Assert.Contains("ONNX Runtime cannot load the model", body);
        Assert.Contains("NoSuchOperator", body);
    }

    [Fact]
    public async Task Inputs_of_the_wrong_datatype_or_rank_are_refused_naming_the_expected_ones()
    {
        await api.UploadOkAsync("onnx-gemm-refusals", OnnxModels.GemmRelu());

        var datatype = await Client.PostAsync("/v2/models/onnx-gemm-refusals/infer",
            V2Binary.Request([new("x", "BYTES", [1, 4], TensorData.OfStrings("x", [4], ["a", "b", "c", "d"]).Data)]));
        var rank = await Client.PostAsync("/v2/models/onnx-gemm-refusals/infer",
            V2Binary.Request([new("x", "FP32", [1, 1, 4], V2Binary.Floats(1, 2, 3, 4))]));

        Assert.Equal(HttpStatusCode.BadRequest, datatype.StatusCode);
        Assert.Contains("FP32", await datatype.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, rank.StatusCode);
        Assert.Contains("[-1, 4]", await rank.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_fixed_shape_model_sent_another_batch_size_is_refused_naming_its_shape()
    {
        await api.UploadOkAsync("onnx-fixed", OnnxFixtures.Model("linear_no_bias"));

        var response = await Client.PostAsync("/v2/models/onnx-fixed/infer",
            V2Binary.Request([new("0", "FP32", [2, 10], V2Binary.Floats(new float[20]))]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[4, 10]", await response.Content.ReadAsStringAsync());
    }
}
