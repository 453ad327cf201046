using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Onnx;

/// <summary>
/// ONNX models through the embedded API: the ONNX project's backend test models answer their reference outputs
/// over V2 JSON and V2 binary, a model with a symbolic batch dimension coalesces concurrent requests.
/// </summary>
public sealed class OnnxServingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    private static string ModelName(string fixture) => $"onnx-{fixture.Replace('_', '-')}";

    private async Task UploadFixtureAsync(string fixture)
    {
        if (!(await Client.GetAsync($"/api/models/{ModelName(fixture)}")).IsSuccessStatusCode)
        {
            await api.UploadOkAsync(ModelName(fixture), OnnxFixtures.Model(fixture));
        }
    }

    [Theory]
    [MemberData(nameof(OnnxFixtures.All), MemberType = typeof(OnnxFixtures))]
    public async Task Every_backend_fixture_answers_its_reference_outputs_through_V2_JSON(string fixture)
    {
        await UploadFixtureAsync(fixture);
        var inputs = string.Join(",", OnnxFixtures.Inputs(fixture).Select(i => i.GetRawText()));

        var response = await Client.PostAsync($"/v2/models/{ModelName(fixture)}/infer", Json($$"""{"inputs":[{{inputs}}]}"""));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var outputs = (await ReadJsonAsync(response)).GetProperty("outputs").EnumerateArray().ToList();
        foreach (var expected in OnnxFixtures.Outputs(fixture))
        {
            var output = outputs.Single(o => o.GetProperty("name").GetString() == expected.GetProperty("name").GetString());
            var datatype = OnnxFixtures.Datatype(output);
            OnnxFixtures.AssertMatches(expected, datatype, OnnxFixtures.Shape(output), OnnxFixtures.Decode(datatype, output.GetProperty("data")));
        }
    }

    [Theory]
    [MemberData(nameof(OnnxFixtures.All), MemberType = typeof(OnnxFixtures))]
    public async Task Every_backend_fixture_answers_its_reference_outputs_through_V2_binary(string fixture)
    {
        await UploadFixtureAsync(fixture);
        var inputs = OnnxFixtures.Inputs(fixture)
            .Select(i => new V2Binary.Input(i.GetProperty("name").GetString()!, OnnxFixtures.Datatype(i), OnnxFixtures.Shape(i), OnnxFixtures.Bytes(i)));

        var response = await Client.PostAsync($"/v2/models/{ModelName(fixture)}/infer", V2Binary.Request(inputs));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var (header, outputs) = await V2Binary.ReadAsync(response);
        foreach (var expected in OnnxFixtures.Outputs(fixture))
        {
            var name = expected.GetProperty("name").GetString()!;
            var output = header.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);
            var datatype = OnnxFixtures.Datatype(output);
            OnnxFixtures.AssertMatches(expected, datatype, OnnxFixtures.Shape(output), OnnxFixtures.Decode(datatype, outputs[name]));
        }
    }

    [Fact]
    public async Task Metadata_reads_the_signature_from_the_model_with_V2_datatypes_and_the_onnx_platform()
    {
        await UploadFixtureAsync("expand_shape");

        var metadata = await ReadJsonAsync(await Client.GetAsync($"/v2/models/{ModelName("expand_shape")}"));

        Assert.Equal("onnxruntime_onnx", metadata.GetProperty("platform").GetString());
        var inputs = metadata.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal(["X", "shape"], inputs.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["FP32", "INT64"], inputs.Select(i => i.GetProperty("datatype").GetString()));
        Assert.Equal([1L, 3, 1], OnnxFixtures.Shape(inputs[0]));
        Assert.Equal("Y", metadata.GetProperty("outputs")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_format_field_of_Onnx_is_taken_and_the_version_is_listed_as_onnx()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(File.ReadAllBytes(OnnxFixtures.Model("concat2"))), "artifact", "model.onnx");
        form.Add(new StringContent("Onnx"), "format");

        var response = await Client.PostAsync("/api/models/onnx-declared/versions", form);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/onnx-declared"));
        Assert.Equal("Onnx", model.GetProperty("versions")[0].GetProperty("format").GetString());
    }

    [Fact]
    public async Task A_model_with_a_symbolic_batch_dimension_coalesces_concurrent_requests_with_the_same_outputs()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Client, "onnx-gemm", OnnxModels.GemmRelu())).StatusCode);
        var metadata = await ReadJsonAsync(await Client.GetAsync("/v2/models/onnx-gemm"));
        Assert.Equal([-1L, 4], OnnxFixtures.Shape(metadata.GetProperty("inputs")[0]));
        Assert.Equal([-1L, 3], OnnxFixtures.Shape(metadata.GetProperty("outputs")[0]));
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api/models/onnx-gemm/batching",
            Json("""{"enabled":true,"maxBatchSize":64,"maxQueueDelayMs":20}"""))).StatusCode);
        var rows = Enumerable.Range(0, 48).Select(r => new[] { r * 0.5f, -r, 1 - r * 0.25f, r % 3 }).ToArray();

        var alone = new List<float[]>();
        foreach (var row in rows.Take(4))
        {
            alone.Add(await InferAsync(row));
        }

        var together = await Task.WhenAll(rows.Select(InferAsync));

        for (var r = 0; r < rows.Length; r++)
        {
            Assert.Equal(OnnxModels.Expected(rows[r]), together[r], new FloatComparer());
        }

        Assert.Equal(alone, together.Take(4));
        var stats = (await ReadJsonAsync(await Client.GetAsync("/v2/models/onnx-gemm/stats"))).GetProperty("model_stats")[0];
        Assert.Contains(stats.GetProperty("batch_stats").EnumerateArray(), b => b.GetProperty("batch_size").GetInt64() >= 2);
        Assert.True(stats.GetProperty("execution_count").GetInt64() < rows.Length + alone.Count, "some requests shared a forward pass");
    }

    private async Task<float[]> InferAsync(float[] row)
    {
        var response = await Client.PostAsync("/v2/models/onnx-gemm/infer", V2Binary.Request([new("x", "FP32", [1, 4], V2Binary.Floats(row))]));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return V2Binary.ToFloats((await V2Binary.ReadAsync(response)).Outputs["y"]);
    }

    private sealed class FloatComparer : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= 1e-5f + 1e-5f * Math.Abs(x);

        public int GetHashCode(float value) => 0;
    }
}
