using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

/// <summary>
/// Several named, typed inputs and outputs through every protocol: native JSON, V2 JSON, V2 binary (framed by hand
/// from the specification) and TF Serving REST, on TorchScript modules whose forward takes several tensors and
/// returns a tuple or a list.
/// </summary>
public sealed class TensorPathTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string PairSignature = """{"inputs":[{"name":"a","dataType":"FP32","shape":[-1,6]},{"name":"b","dataType":"FP32","shape":[-1,6]}],"outputs":[{"name":"sum","dataType":"FP32","shape":[-1,6]},{"name":"product","dataType":"FP32","shape":[-1,6]}]}""";

    private const string TokenSignature = """{"inputs":[{"name":"input_ids","dataType":"INT64","shape":[-1,4]},{"name":"attention_mask","dataType":"INT64","shape":[-1,4]}]}""";

    private static readonly float[] A = [1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6];
    private static readonly float[] B = [0.5f, 0.5f, 2, 2, -1, 10, 3, 3, 3, 3, 3, 3];

    private HttpClient Client => api.Client;

    public async Task InitializeAsync()
    {
        if (!(await Client.GetAsync("/api/models/pair")).IsSuccessStatusCode)
        {
            Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Client, "pair", ScriptedModels.SumAndProduct, PairSignature)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Client, "tokens", ScriptedModels.TokenEncoder, TokenSignature)).StatusCode);
            await api.UploadOkAsync("path-l1000", Fixtures.L1000);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Metadata_lists_every_input_and_output_with_its_datatype_and_shape()
    {
        var metadata = await ReadJsonAsync(await Client.GetAsync("/v2/models/pair"));

        Assert.Equal(["a", "b"], metadata.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["sum", "product"], metadata.GetProperty("outputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.All(metadata.GetProperty("outputs").EnumerateArray(), o => Assert.Equal("FP32", o.GetProperty("datatype").GetString()));
        var tokens = await ReadJsonAsync(await Client.GetAsync("/v2/models/tokens"));
        Assert.Equal(["INT64", "INT64"], tokens.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("datatype").GetString()));
        Assert.Equal(["output0", "output1"], tokens.GetProperty("outputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal([-1L], tokens.GetProperty("outputs")[1].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
    }

    [Fact]
    public async Task Two_inputs_and_two_outputs_answer_the_same_through_V2_JSON_V2_binary_native_and_TF_Serving()
    {
        var sum = A.Zip(B, (x, y) => (double)(x + y)).ToArray();
        var product = A.Zip(B, (x, y) => (double)(x * y)).ToArray();

        var json = await ReadJsonAsync(await Client.PostAsync("/v2/models/pair/infer", Json(
            $$"""{"inputs":[{"name":"b","shape":[2,6],"datatype":"FP32","data":{{Array(B)}}},{"name":"a","shape":[2,6],"datatype":"FP32","data":{{Array(A)}}}]}""")));
        Assert.Equal(sum, Doubles(Output(json, "sum").GetProperty("data")));
        Assert.Equal(product, Doubles(Output(json, "product").GetProperty("data")));

        var binary = await Client.PostAsync("/v2/models/pair/infer", V2Binary.Request(
            [new("a", "FP32", [2, 6], V2Binary.Floats(A)), new("b", "FP32", [2, 6], V2Binary.Floats(B))]));
        Assert.Equal("application/octet-stream", binary.Content.Headers.ContentType?.MediaType);
        var (header, outputs) = await V2Binary.ReadAsync(binary);
        Assert.Equal([2L, 6L], Output(header, "sum").GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(sum, V2Binary.ToFloats(outputs["sum"]).Select(v => (double)v));
        Assert.Equal(product, V2Binary.ToFloats(outputs["product"]).Select(v => (double)v));

        var native = await ReadJsonAsync(await Client.PostAsync("/api/models/pair/predict", Json(
            $$$"""{"inputs":{"a":{{{Rows(A)}}},"b":{{{Rows(B)}}}}}""")));
        Assert.Equal(sum, native.GetProperty("outputs").GetProperty("sum").EnumerateArray().SelectMany(Doubles));
        Assert.Equal(product, native.GetProperty("outputs").GetProperty("product").EnumerateArray().SelectMany(Doubles));

        var rows = await ReadJsonAsync(await Client.PostAsync("/v1/models/pair:predict", Json(
            $$"""{"instances":[{"a":{{Array(A[..6])}},"b":{{Array(B[..6])}}},{"a":{{Array(A[6..])}},"b":{{Array(B[6..])}}}]}""")));
        var predictions = rows.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(sum, predictions.SelectMany(p => Doubles(p.GetProperty("sum"))));
        Assert.Equal(product, predictions.SelectMany(p => Doubles(p.GetProperty("product"))));

        var columns = await ReadJsonAsync(await Client.PostAsync("/v1/models/pair:predict", Json(
            $$$"""{"inputs":{"a":{{{Rows(A)}}},"b":{{{Rows(B)}}}}}""")));
        Assert.Equal(product, columns.GetProperty("outputs").GetProperty("product").EnumerateArray().SelectMany(Doubles));
    }

    [Fact]
    public async Task A_request_names_the_outputs_it_wants_and_which_come_back_in_binary()
    {
        var response = await Client.PostAsync("/v2/models/pair/infer", V2Binary.Request(
            [new("a", "FP32", [2, 6], V2Binary.Floats(A)), new("b", "FP32", [2, 6], V2Binary.Floats(B))],
            """[{"name":"product","parameters":{"binary_data":true}}]""", binaryOutput: false));
        var (header, outputs) = await V2Binary.ReadAsync(response);

        Assert.Equal(["product"], header.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(A.Zip(B, (x, y) => x * y), V2Binary.ToFloats(outputs["product"]));

        var json = await ReadJsonAsync(await Client.PostAsync("/v2/models/pair/infer", Json(
            $$"""{"inputs":[{"name":"a","shape":[2,6],"datatype":"FP32","data":{{Array(A)}}},{"name":"b","shape":[2,6],"datatype":"FP32","data":{{Array(B)}}}],"outputs":[{"name":"sum"}]}""")));
        Assert.Equal(["sum"], json.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        Assert.True(json.GetProperty("outputs")[0].TryGetProperty("data", out _));
    }

    [Fact]
    public async Task INT64_token_inputs_stay_exact_through_JSON_and_binary()
    {
        long[] ids = [101, 9_007_199_254_740_993, 7, 102, 101, 5, 0, 0];
        long[] mask = [1, 1, 1, 1, 1, 1, 0, 0];
        var expectedMasked = ids.Zip(mask, (i, m) => i * m).ToArray();
        long[] expectedSums = [ids[..4].Sum(), ids[4..].Sum()];

        var (_, outputs) = await V2Binary.ReadAsync(await Client.PostAsync("/v2/models/tokens/infer", V2Binary.Request(
            [new("input_ids", "INT64", [2, 4], V2Binary.Longs(ids)), new("attention_mask", "INT64", [2, 4], V2Binary.Longs(mask))])));
        Assert.Equal(expectedMasked, V2Binary.ToLongs(outputs["output0"]));
        Assert.Equal(expectedSums, V2Binary.ToLongs(outputs["output1"]));

        var json = await ReadJsonAsync(await Client.PostAsync("/v2/models/tokens/infer", Json(
            $$"""{"inputs":[{"name":"input_ids","shape":[2,4],"datatype":"INT64","data":[{{string.Join(",", ids)}}]},{"name":"attention_mask","shape":[2,4],"datatype":"INT64","data":[{{string.Join(",", mask)}}]}]}""")));
        Assert.Equal("INT64", Output(json, "output0").GetProperty("datatype").GetString());
        Assert.Equal(expectedMasked, Output(json, "output0").GetProperty("data").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task A_model_that_returns_a_list_serves_each_element_as_an_output()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Client, "list-out", ScriptedModels.ListOfTwo,
            """{"inputs":[{"name":"x","dataType":"FP32","shape":[-1,3]}]}""")).StatusCode);

        var json = await ReadJsonAsync(await Client.PostAsync("/v2/models/list-out/infer", Json(
            """{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""")));

        Assert.Equal([1.0, 2, 3], Doubles(Output(json, "output0").GetProperty("data")));
        Assert.Equal([2.0, 3, 4], Doubles(Output(json, "output1").GetProperty("data")));
    }

    [Theory]
    [InlineData("BOOL", new byte[] { 1, 0, 1, 1 }, "[true,false,true,true]")]
    [InlineData("UINT8", new byte[] { 0, 1, 200, 255 }, "[0,1,200,255]")]
    [InlineData("INT8", new byte[] { 0x80, 0xFF, 0, 127 }, "[-128,-1,0,127]")]
    [InlineData("INT16", new byte[] { 0x00, 0x80, 0xFF, 0xFF, 1, 0, 0xFF, 0x7F }, "[-32768,-1,1,32767]")]
    [InlineData("INT32", new byte[] { 0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F }, "[-2147483648,-1,1,2147483647]")]
    [InlineData("FP16", new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0x00, 0x7C }, "[1,-2,0.5,\"Infinity\"]")]
    [InlineData("BF16", new byte[] { 0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F, 0xC0, 0x7F }, "[1,-2,0.5,\"NaN\"]")]
    [InlineData("FP64", new byte[] { 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0, 0, 0, 0, 0, 0, 0xF8, 0x7F }, "[1,-2,0.5,\"NaN\"]")]
    public async Task Every_torch_datatype_round_trips_unchanged_in_binary_and_reads_right_in_JSON(string datatype, byte[] bytes, string json)
    {
        var model = $"identity-{datatype.ToLowerInvariant()}";
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Client, model, ScriptedModels.Identity,
            $$"""{"inputs":[{"name":"x","dataType":"{{datatype}}","shape":[-1,4]}]}""")).StatusCode);

        var (header, outputs) = await V2Binary.ReadAsync(await Client.PostAsync($"/v2/models/{model}/infer", V2Binary.Request([new("x", datatype, [1, 4], bytes)])));
        Assert.Equal(datatype, header.GetProperty("outputs")[0].GetProperty("datatype").GetString());
        Assert.Equal(bytes, outputs["output"]);

        var answer = await Client.PostAsync($"/v2/models/{model}/infer", V2Binary.Request([new("x", datatype, [1, 4], bytes)], binaryOutput: false));
        var data = (await ReadJsonAsync(answer)).GetProperty("outputs")[0].GetProperty("data");
        Assert.Equal(json, data.GetRawText());
    }

    [Fact]
    public async Task The_fixture_answers_the_same_through_native_V2_JSON_V2_binary_and_TF_Serving()
    {
        var ones = Enumerable.Repeat(1f, 1000).ToArray();
        var native = await ReadJsonAsync(await Client.PostAsync("/api/models/path-l1000/predict", Json($$"""{"inputs":[{{Ones(1000)}}]}""")));
        var v2 = await ReadJsonAsync(await Client.PostAsync("/v2/models/path-l1000/infer", Json($$"""{"inputs":[{"name":"input","shape":[1,1000],"datatype":"FP32","data":{{Ones(1000)}}}]}""")));
        var (_, binary) = await V2Binary.ReadAsync(await Client.PostAsync("/v2/models/path-l1000/infer", V2Binary.Request([new("input", "FP32", [1, 1000], V2Binary.Floats(ones))])));
        var tf = await ReadJsonAsync(await Client.PostAsync("/v1/models/path-l1000:predict", Json($$"""{"instances":[{{Ones(1000)}}]}""")));

        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(native.GetProperty("outputs")[0]));
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(v2.GetProperty("outputs")[0].GetProperty("data")));
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, V2Binary.ToFloats(binary["output"]).Select(v => (double)v).ToArray());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(tf.GetProperty("predictions")[0]));
    }

    [Fact]
    public async Task Gzip_and_deflate_request_bodies_are_read_and_responses_compressed_on_request()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"inputs":[{"name":"input","shape":[1,1000],"datatype":"FP32","data":{{Ones(1000)}}}]}""");
        foreach (var (encoding, compress) in new (string, Func<Stream, Stream>)[]
        {
            ("gzip", s => new GZipStream(s, CompressionLevel.Optimal, leaveOpen: true)),
            ("deflate", s => new ZLibStream(s, CompressionLevel.Optimal, leaveOpen: true)),
        })
        {
            var compressed = new MemoryStream();
            using (var stream = compress(compressed))
            {
                stream.Write(body);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/path-l1000/infer") { Content = new ByteArrayContent(compressed.ToArray()) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Content.Headers.ContentEncoding.Add(encoding);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            var response = await Client.SendAsync(request);

            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            Assert.Equal(encoding, response.Content.Headers.ContentEncoding.Single());
            using var inflated = encoding == "gzip"
                ? (Stream)new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress)
                : new ZLibStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
            var json = (await JsonDocument.ParseAsync(inflated)).RootElement;
            Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(json.GetProperty("outputs")[0].GetProperty("data")));
        }
    }

    [Fact]
    public async Task A_gzip_body_that_inflates_past_the_predict_limit_is_413()
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,1],\"datatype\":\"FP32\",\"data\":[1"));
            var spaces = Enumerable.Repeat((byte)' ', 1 << 20).ToArray();
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(spaces);
            }
        }

        Assert.True(compressed.Length < MaxPredictBytes, "the compressed body itself is under the limit");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/path-l1000/infer") { Content = new ByteArrayContent(compressed.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit", (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Statistics_count_inferences_executions_and_durations_per_version()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Client, "stats-pair", ScriptedModels.SumAndProduct, PairSignature)).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            var ok = await Client.PostAsync("/v2/models/stats-pair/infer", V2Binary.Request(
                [new("a", "FP32", [2, 6], V2Binary.Floats(A)), new("b", "FP32", [2, 6], V2Binary.Floats(B))]));
            Assert.True(ok.IsSuccessStatusCode);
        }

        var stats = await ReadJsonAsync(await Client.GetAsync("/v2/models/stats-pair/stats"));
        var version = stats.GetProperty("model_stats").EnumerateArray().Single();
        Assert.Equal("1", version.GetProperty("version").GetString());
        Assert.Equal(10, version.GetProperty("inference_count").GetInt64());
        Assert.InRange(version.GetProperty("execution_count").GetInt64(), 1, 5);
        var inference = version.GetProperty("inference_stats");
        Assert.Equal(5, inference.GetProperty("success").GetProperty("count").GetInt64());
        Assert.True(inference.GetProperty("success").GetProperty("ns").GetInt64() > 0);
        Assert.Equal(0, inference.GetProperty("fail").GetProperty("count").GetInt64());
        Assert.Equal(5, inference.GetProperty("queue").GetProperty("count").GetInt64());
        Assert.Contains(version.GetProperty("batch_stats").EnumerateArray(), b => b.GetProperty("batch_size").GetInt64() >= 2);
        Assert.True(version.GetProperty("last_inference").GetInt64() > 0);

        var all = await ReadJsonAsync(await Client.GetAsync("/v2/models/stats"));
        Assert.Contains(all.GetProperty("model_stats").EnumerateArray(), s => s.GetProperty("name").GetString() == "stats-pair");
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/models/stats-pair/versions/1/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v2/models/stats-pair/versions/9/stats")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v2/models/no-such-model/stats")).StatusCode);
        var server = await ReadJsonAsync(await Client.GetAsync("/v2"));
        Assert.Superset(new HashSet<string?> { "binary_tensor_data", "statistics" }, server.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToHashSet());
    }

    [Fact]
    public async Task A_TorchScript_archive_in_the_newer_PyTorch_layout_uploads_and_predicts()
    {
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Client, "newer-layout", ScriptedModels.NewerLayout())).StatusCode);

        var json = await ReadJsonAsync(await Client.PostAsync("/v2/models/newer-layout/infer", Json(
            """{"inputs":[{"name":"input","shape":[6],"datatype":"FP32","data":[1,1,1,1,1,1]}]}""")));

        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Doubles(json.GetProperty("outputs")[0].GetProperty("data")));
    }

    private static JsonElement Output(JsonElement response, string name) =>
        response.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == name);

    private static string Array(IEnumerable<float> values) => $"[{string.Join(",", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";

    private static string Rows(float[] values) => $"[{Array(values[..6])},{Array(values[6..])}]";
}
