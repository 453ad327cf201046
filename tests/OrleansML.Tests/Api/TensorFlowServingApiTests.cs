using System.Net;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

public sealed class TensorFlowServingApiTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private HttpClient Client => api.Client;

    public async Task InitializeAsync()
    {
        if (!(await Client.GetAsync("/api/models/tf-l1000")).IsSuccessStatusCode)
        {
            await api.UploadOkAsync("tf-l1000", Fixtures.L1000);
            await Client.PutAsync("/api/models/tf-l1000/labels/stable", Json("""{"version":1}"""));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/v1/models/tf-l1000:predict")]
    [InlineData("/v1/models/tf-l1000/versions/1:predict")]
    [InlineData("/v1/models/tf-l1000/labels/stable:predict")]
    public async Task Row_format_predict_returns_pytorch_outputs_per_instance(string path)
    {
        var response = await Client.PostAsync(path, Json($$"""{"instances": [{{Ones(1000)}}, {{Ones(1000)}}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await ReadJsonAsync(response)).GetProperty("predictions");
        Assert.Equal(2, predictions.GetArrayLength());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(predictions[0]));
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(predictions[1]));
    }

    [Fact]
    public async Task Row_format_with_named_instances_is_read_as_the_one_input()
    {
        var response = await Client.PostAsync("/v1/models/tf-l1000:predict", Json($$"""{"signature_name":"serving_default","instances": [{"input": {{Ones(1000)}}}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles((await ReadJsonAsync(response)).GetProperty("predictions")[0]));
    }

    [Fact]
    public async Task Columnar_predict_returns_outputs()
    {
        var response = await Client.PostAsync("/v1/models/tf-l1000:predict", Json($$$"""{"inputs": {"input": [{{{Ones(1000)}}}]}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles((await ReadJsonAsync(response)).GetProperty("outputs")[0]));
    }

    [Fact]
    public async Task Model_status_and_metadata_follow_tf_serving()
    {
        var status = await ReadJsonAsync(await Client.GetAsync("/v1/models/tf-l1000"));
        var version = status.GetProperty("model_version_status")[0];
        Assert.Equal("1", version.GetProperty("version").GetString());
        Assert.Equal("AVAILABLE", version.GetProperty("state").GetString());
        Assert.Equal("OK", version.GetProperty("status").GetProperty("error_code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/models/tf-l1000/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/models/tf-l1000/labels/stable")).StatusCode);

        var metadata = await ReadJsonAsync(await Client.GetAsync("/v1/models/tf-l1000/metadata"));
        Assert.Equal("tf-l1000", metadata.GetProperty("model_spec").GetProperty("name").GetString());
        var input = metadata.GetProperty("metadata").GetProperty("signature_def").GetProperty("signature_def")
            .GetProperty("serving_default").GetProperty("inputs").GetProperty("input");
        Assert.Equal("DT_FLOAT", input.GetProperty("dtype").GetString());
        Assert.Equal("1000", input.GetProperty("tensor_shape").GetProperty("dim")[1].GetProperty("size").GetString());
    }

    [Theory]
    [InlineData("/v1/models/tf-ghost:predict", "tf-ghost")]
    [InlineData("/v1/models/tf-l1000/versions/9:predict", "version 9")]
    [InlineData("/v1/models/tf-l1000/labels/canary:predict", "label 'canary'")]
    public async Task Predict_on_unknown_model_version_or_label_returns_404_error_naming_it(string path, string named)
    {
        var response = await Client.PostAsync(path, Json($$"""{"instances": [{{Ones(1000)}}]}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(named, (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Status_of_unknown_model_or_label_returns_404_error()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/models/tf-ghost")).StatusCode);
        var label = await Client.GetAsync("/v1/models/tf-l1000/labels/canary");
        Assert.Equal(HttpStatusCode.NotFound, label.StatusCode);
        Assert.Contains("canary", (await ReadJsonAsync(label)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"instances": [[1, 2, 3]]}""", "[-1, 1000]")]
    [InlineData("""{"instances": [[1, 2], [3]]}""", "ragged")]
    [InlineData("""{"instances": [[1]], "inputs": [[1]]}""", "exactly one of")]
    [InlineData("""{"instances": [["a"]]}""", "BYTES; the model takes FP32")]
    public async Task Predict_with_bad_instances_returns_400_error_naming_the_problem(string body, string problem)
    {
        var response = await Client.PostAsync("/v1/models/tf-l1000:predict", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Predict_with_more_values_than_the_limit_returns_400_error_naming_the_limit()
    {
        foreach (var body in new[] { $$"""{"instances": {{RaggedBomb(16, 10)}}}""", $$"""{"inputs": {{Ones(60_000)}}}""" })
        {
            var response = await Client.PostAsync("/v1/models/tf-l1000:predict", Json(body));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("MaxPredictElements", (await ReadJsonAsync(response)).GetProperty("error").GetString());
        }
    }

    [Theory]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"instances\": [[1", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"instances\": [[1]]}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task Predict_with_empty_malformed_or_non_json_body_returns_4xx_error(string body, string contentType, HttpStatusCode expected)
    {
        var response = await Client.PostAsync("/v1/models/tf-l1000:predict", new StringContent(body, System.Text.Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await ReadJsonAsync(response)).GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Predict_body_over_the_limit_returns_413_error()
    {
        var huge = $$"""{"instances": [{{string.Join(",", Enumerable.Repeat("0.123456789", (int)(MaxPredictBytes / 10)))}}]}""";

        var response = await Client.PostAsync("/v1/models/tf-l1000:predict", Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("limit", (await ReadJsonAsync(response)).GetProperty("error").GetString());
    }
}
