using System.Net;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

public sealed class KServeApiTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private HttpClient Client => api.Client;

    public async Task InitializeAsync()
    {
        if (!(await Client.GetAsync("/api/models/kserve-l1000")).IsSuccessStatusCode)
        {
            await api.UploadOkAsync("kserve-l1000", Fixtures.L1000);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Server_metadata_and_health_answer_200()
    {
        var metadata = await ReadJsonAsync(await Client.GetAsync("/v2"));

        Assert.Equal("orleansml", metadata.GetProperty("name").GetString());
        Assert.Contains("model_repository", metadata.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Model_metadata_names_platform_versions_and_tensors()
    {
        foreach (var path in new[] { "/v2/models/kserve-l1000", "/v2/models/kserve-l1000/versions/1" })
        {
            var metadata = await ReadJsonAsync(await Client.GetAsync(path));

            Assert.Equal("kserve-l1000", metadata.GetProperty("name").GetString());
            Assert.Equal("pytorch_torchscript", metadata.GetProperty("platform").GetString());
            Assert.Equal("1", metadata.GetProperty("versions")[0].GetString());
            var input = metadata.GetProperty("inputs")[0];
            Assert.Equal("FP32", input.GetProperty("datatype").GetString());
            Assert.Equal([-1L, 1000L], input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            Assert.Equal([-1L, 10L], metadata.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        }
    }

    [Fact]
    public async Task Model_ready_is_200_for_a_served_version_and_404_for_unknown_ones()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/models/kserve-l1000/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/models/kserve-l1000/versions/1/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v2/models/kserve-l1000/versions/7/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v2/models/kserve-ghost/ready")).StatusCode);
    }

    [Theory]
    [InlineData("FP32", false)]
    [InlineData("FP32", true)]
    [InlineData("FP64", false)]
    [InlineData("FP64", true)]
    [InlineData("INT64", false)]
    [InlineData("INT64", true)]
    [InlineData("INT32", true)]
    public async Task Infer_with_each_datatype_and_flat_or_nested_data_returns_pytorch_outputs(string datatype, bool nested)
    {
        var data = nested ? $"[{Ones(1000)}]" : Ones(1000);
        var request = $$"""{"id":"r1","inputs":[{"name":"input","shape":[1,1000],"datatype":"{{datatype}}","data":{{data}}}]}""";

        var response = await Client.PostAsync("/v2/models/kserve-l1000/infer", Json(request));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal("kserve-l1000", body.GetProperty("model_name").GetString());
        Assert.Equal("1", body.GetProperty("model_version").GetString());
        Assert.Equal("r1", body.GetProperty("id").GetString());
        var output = body.GetProperty("outputs")[0];
        Assert.Equal([1L, 10L], output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(output.GetProperty("data")));
    }

    [Fact]
    public async Task Infer_by_version_route_answers_that_version()
    {
        var request = $$"""{"inputs":[{"name":"input","shape":[1,1000],"datatype":"FP32","data":{{Ones(1000)}}}],"outputs":[{"name":"output"}]}""";

        var body = await ReadJsonAsync(await Client.PostAsync("/v2/models/kserve-l1000/versions/1/infer", Json(request)));

        Assert.Equal("1", body.GetProperty("model_version").GetString());
        Assert.Equal("output", body.GetProperty("outputs")[0].GetProperty("name").GetString());
    }

    /// <summary>
    /// The scripted fixture computes <c>linear(mv(weight, input))</c>: torch.mv takes one 1-D vector, so the model is
    /// unbatched. Its signature is inferred as [6] and it answers through all three protocols as PyTorch did.
    /// </summary>
    [Fact]
    public async Task The_unbatched_scripted_module_answers_ones_6_as_pytorch_did_through_all_three_protocols()
    {
        await api.UploadOkAsync("scripted", Fixtures.Scripted);
        var metadata = await ReadJsonAsync(await Client.GetAsync("/v2/models/scripted"));
        Assert.Equal([6L], metadata.GetProperty("inputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));

        var kserve = await ReadJsonAsync(await Client.PostAsync("/v2/models/scripted/infer",
            Json($$"""{"inputs":[{"name":"input","shape":[6],"datatype":"FP32","data":{{Ones(6)}}}]}""")));
        var native = await ReadJsonAsync(await Client.PostAsync("/api/models/scripted/predict", Json($$"""{"inputs":{{Ones(6)}}}""")));
        var tfServing = await ReadJsonAsync(await Client.PostAsync("/v1/models/scripted:predict", Json($$"""{"instances":[{{Ones(6)}}]}""")));

        Assert.Equal([6L], kserve.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Doubles(kserve.GetProperty("outputs")[0].GetProperty("data")));
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Doubles(native.GetProperty("outputs")[0]));
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Doubles(tfServing.GetProperty("predictions")[0]));
    }

    [Fact]
    public async Task The_unbatched_scripted_module_refuses_a_batch_of_two_with_400_naming_its_shape()
    {
        if (!(await Client.GetAsync("/api/models/scripted-batch")).IsSuccessStatusCode)
        {
            await api.UploadOkAsync("scripted-batch", Fixtures.Scripted);
        }

        var response = await Client.PostAsync("/v2/models/scripted-batch/infer",
            Json($$"""{"inputs":[{"name":"input","shape":[2,6],"datatype":"FP32","data":[{{Ones(6)}},{{Ones(6)}}]}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[6]", (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/v2/models/kserve-ghost/infer", "kserve-ghost")]
    [InlineData("/v2/models/kserve-l1000/versions/42/infer", "version 42")]
    [InlineData("/v2/models/kserve-l1000/versions/latest/infer", "version 'latest'")]
    public async Task Infer_on_unknown_model_or_version_returns_404_error_naming_it(string path, string named)
    {
        var request = $$"""{"inputs":[{"name":"input","shape":[1,1000],"datatype":"FP32","data":{{Ones(1000)}}}]}""";

        var response = await Client.PostAsync(path, Json(request));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(named, (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Infer_with_wrong_shape_returns_400_error_with_expected_and_received_shapes()
    {
        var request = $$"""{"inputs":[{"name":"input","shape":[1,100],"datatype":"FP32","data":{{Ones(100)}}}]}""";

        var response = await Client.PostAsync("/v2/models/kserve-l1000/infer", Json(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("error").GetString();
        Assert.Contains("[-1, 1000]", error);
        Assert.Contains("[1, 100]", error);
    }

    [Theory]
    [InlineData("BYTES", "[1]", "BYTES tensors hold strings")]
    [InlineData("INT64", "[1.5]", "integer")]
    [InlineData("FP32", "[1, 2]", "declares shape [1, 1]")]
    [InlineData("INT32", "[2147483648]", "outside the range of INT32")]
    public async Task Infer_with_wrong_datatype_or_data_returns_400_error(string datatype, string data, string problem)
    {
        var request = $$"""{"inputs":[{"name":"input","shape":[1,1],"datatype":"{{datatype}}","data":{{data}}}]}""";

        var response = await Client.PostAsync("/v2/models/kserve-l1000/infer", Json(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Infer_declaring_more_values_than_the_limit_returns_400_naming_the_limit_before_allocating_them()
    {
        // A huge declared shape; one whose product wraps around to the 4 values given in 64-bit arithmetic
        // (4 * (2^62 + 1) = 2^64 + 4); and ragged data whose first elements declare 10^16 values.
        var inputs = new[]
        {
            """{"name":"input","shape":[1000000000,1000000000],"datatype":"FP32","data":[1]}""",
            """{"name":"input","shape":[4,4611686018427387905],"datatype":"FP32","data":[1,2,3,4]}""",
            $$"""{"name":"input","shape":[1,1000],"datatype":"FP32","data":{{RaggedBomb(16, 10)}}}""",
        };

        foreach (var input in inputs)
        {
            var response = await Client.PostAsync("/v2/models/kserve-l1000/infer", Json($$"""{"inputs":[{{input}}]}"""));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("MaxPredictElements", (await ReadJsonAsync(response)).GetProperty("error").GetString());
        }
    }

    [Theory]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"inputs\":[", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"inputs\":[]}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task Infer_with_empty_malformed_or_non_json_body_returns_4xx_error(string body, string contentType, HttpStatusCode expected)
    {
        var response = await Client.PostAsync("/v2/models/kserve-l1000/infer", new StringContent(body, System.Text.Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await ReadJsonAsync(response)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Infer_with_an_id_that_is_not_a_string_returns_400_error()
    {
        var request = $$"""{"id":5,"inputs":[{"name":"input","shape":[1,1000],"datatype":"FP32","data":{{Ones(1000)}}}]}""";

        var response = await Client.PostAsync("/v2/models/kserve-l1000/infer", Json(request));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'id' must be a string", (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"\ud800","shape":[1,1],"datatype":"FP32","data":[1]}]}""", "$.inputs[0].name")]
    [InlineData("""{"inputs":[{"name":"input","shape":[1,1],"datatype":"\udfff","data":[1]}]}""", "$.inputs[0].datatype")]
    [InlineData("""{"\ud800":1}""", "$ (a property name)")]
    public async Task Infer_with_a_lone_surrogate_escape_returns_400_error_naming_where(string body, string where)
    {
        var response = await Client.PostAsync("/v2/models/kserve-l1000/infer", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"lone UTF-16 surrogate) at {where}", (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"ready":"yes"}""", "'ready' must be a boolean")]
    [InlineData("""{"ready":null}""", "'ready' must be a boolean")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("null", "must be a JSON object")]
    public async Task Repository_index_with_a_malformed_body_returns_400_error(string body, string problem)
    {
        var response = await Client.PostAsync("/v2/repository/index", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Wrong_methods_and_unknown_routes_answer_the_protocol_error()
    {
        var wrongMethod = await Client.PutAsync("/v2/models/kserve-l1000/infer", Json("{}"));
        var unknown = await Client.GetAsync("/v2/models/kserve-l1000/nothing/here");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("PUT", (await ReadJsonAsync(wrongMethod)).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.False(string.IsNullOrEmpty((await ReadJsonAsync(unknown)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Repository_index_lists_versions_and_load_and_unload_answer_200_or_404()
    {
        var index = await ReadJsonAsync(await Client.PostAsync("/v2/repository/index", Json("""{"ready":true}""")));
        var entry = index.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "kserve-l1000");
        Assert.Equal("READY", entry.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/v2/repository/index", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/v2/repository/models/kserve-l1000/load", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/v2/repository/models/kserve-l1000/unload", null)).StatusCode);
        var missing = await Client.PostAsync("/v2/repository/models/kserve-ghost/load", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("kserve-ghost", (await ReadJsonAsync(missing)).GetProperty("error").GetString());
    }
}
