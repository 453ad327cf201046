using System.Net;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

public sealed class ModelApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task Uploaded_torchscript_model_answers_201_and_predicts_pytorch_outputs()
    {
        var upload = await UploadAsync(Client, "native-l1000", Fixtures.L1000);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal("/api/models/native-l1000/versions/1", upload.Headers.Location?.OriginalString);
        var version = await ReadJsonAsync(upload);
        Assert.Equal("native-l1000", version.GetProperty("name").GetString());
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        Assert.Equal("TorchScript", version.GetProperty("format").GetString());

        var flat = await Client.PostAsync("/api/models/native-l1000/predict", Json($$"""{"inputs": {{Ones(1000)}}}"""));
        Assert.Equal(HttpStatusCode.OK, flat.StatusCode);
        var body = await ReadJsonAsync(flat);
        Assert.Equal("native-l1000", body.GetProperty("model").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(1, body.GetProperty("outputs").GetArrayLength());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(body.GetProperty("outputs")[0]));

        var rows = await ReadJsonAsync(await Client.PostAsync("/api/models/native-l1000/predict", Json($$"""{"inputs": [{{Ones(1000)}}, {{Ones(1000)}}], "version": 1}""")));
        Assert.Equal(2, rows.GetProperty("outputs").GetArrayLength());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(rows.GetProperty("outputs")[1]));
    }

    [Fact]
    public async Task Create_from_architecture_returns_201_and_the_same_name_again_returns_409()
    {
        const string body = """{"name":"native-mlp","architecture":{"type":"mlp","inputs":4,"hidden":[8],"outputs":3,"activation":"relu","dropout":0},"seed":7}""";

        var created = await Client.PostAsync("/api/models", Json(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Native", (await ReadJsonAsync(created)).GetProperty("versions")[0].GetProperty("format").GetString());

        var again = await Client.PostAsync("/api/models", Json(body));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("native-mlp", (await ReadJsonAsync(again)).GetProperty("detail").GetString());

        var prediction = await ReadJsonAsync(await Client.PostAsync("/api/models/native-mlp/predict", Json("""{"inputs":[[1,2,3,4],[0.5,0,0,1]]}""")));
        Assert.Equal(3, prediction.GetProperty("outputs")[1].GetArrayLength());
    }

    [Theory]
    [InlineData("[100000]")]
    [InlineData("[2147483647,2147483647,2147483647,2147483647]")]
    public async Task Create_with_more_weights_than_the_limit_returns_400_naming_it(string hidden)
    {
        var response = await Client.PostAsync("/api/models", Json($$$"""{"name":"native-huge","architecture":{"type":"mlp","inputs":10000,"hidden":{{{hidden}}},"outputs":3}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 500000000 weights", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task List_shows_each_model_with_versions_labels_and_default_version()
    {
        await CreateMlpAsync("native-listed");
        await Client.PutAsync("/api/models/native-listed/labels/stable", Json("""{"version":1}"""));

        var list = await ReadJsonAsync(await Client.GetAsync("/api/models"));

        var model = list.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "native-listed");
        Assert.Equal(1, model.GetProperty("versions").GetInt32());
        Assert.Equal(1, model.GetProperty("labels").GetProperty("stable").GetInt32());
        Assert.Equal(1, model.GetProperty("defaultVersion").GetInt32());
    }

    [Fact]
    public async Task Labels_traffic_policy_and_batching_are_set_and_shown_by_get()
    {
        await CreateMlpAsync("native-routing");
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api/models/native-routing/labels/stable", Json("""{"version":1}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api/models/native-routing/labels/canary", Json("""{"version":1}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api/models/native-routing/traffic", Json("""{"weights":{"stable":90,"canary":10}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api/models/native-routing/policy", Json("""{"keepLatest":3}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api/models/native-routing/batching", Json("""{"enabled":true,"maxBatchSize":16,"maxQueueDelayMs":1}"""))).StatusCode);

        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/native-routing"));
        Assert.Equal(90, model.GetProperty("trafficSplit").GetProperty("stable").GetInt32());
        Assert.Equal(3, model.GetProperty("keepLatest").GetInt32());
        Assert.Equal(16, model.GetProperty("batching").GetProperty("maxBatchSize").GetInt32());

        var labelled = await ReadJsonAsync(await Client.PostAsync("/api/models/native-routing/predict", Json("""{"inputs":[1,2,3,4],"label":"canary"}""")));
        Assert.Equal(1, labelled.GetProperty("version").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api/models/native-routing/traffic", Json("""{"weights":{}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync("/api/models/native-routing/labels/canary")).StatusCode);
        Assert.False((await ReadJsonAsync(await Client.GetAsync("/api/models/native-routing"))).GetProperty("labels").TryGetProperty("canary", out _));
    }

    [Fact]
    public async Task A_traffic_split_whose_weights_overflow_an_int_returns_400_and_changes_nothing()
    {
        await CreateMlpAsync("native-overflow");
        await Client.PutAsync("/api/models/native-overflow/labels/stable", Json("""{"version":1}"""));
        await Client.PutAsync("/api/models/native-overflow/labels/canary", Json("""{"version":1}"""));

        var response = await Client.PutAsync("/api/models/native-overflow/traffic", Json("""{"weights":{"stable":2147483647,"canary":2147483647}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("add up to 4294967294", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
        Assert.Empty((await ReadJsonAsync(await Client.GetAsync("/api/models/native-overflow"))).GetProperty("trafficSplit").EnumerateObject());
    }

    [Fact]
    public async Task Deleting_a_labelled_version_returns_409_and_an_unlabelled_one_200()
    {
        await CreateMlpAsync("native-delete");
        await Client.PutAsync("/api/models/native-delete/labels/stable", Json("""{"version":1}"""));

        var refused = await Client.DeleteAsync("/api/models/native-delete/versions/1");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("stable", (await ReadJsonAsync(refused)).GetProperty("detail").GetString());

        await Client.DeleteAsync("/api/models/native-delete/labels/stable");
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync("/api/models/native-delete/versions/1")).StatusCode);
    }

    [Fact]
    public async Task Get_unknown_model_returns_404_problem_naming_it()
    {
        var response = await Client.GetAsync("/api/models/no-such-model");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-model", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Predict_with_wrong_shape_returns_400_with_expected_shape()
    {
        await api.UploadOkAsync("native-shape", Fixtures.L1000);

        var response = await Client.PostAsync("/api/models/native-shape/predict", Json($$"""{"inputs": {{Ones(100)}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await ReadJsonAsync(response)).GetProperty("detail").GetString();
        Assert.Contains("[-1, 1000]", detail);
        Assert.Contains("[1, 100]", detail);
    }

    [Theory]
    [InlineData("""{"inputs":[1,2,3,4],"version":9}""", "version 9")]
    [InlineData("""{"inputs":[1,2,3,4],"label":"nope"}""", "label 'nope'")]
    public async Task Predict_with_unknown_version_or_label_returns_404_naming_it(string body, string named)
    {
        await CreateMlpAsync("native-unknown-route");

        var response = await Client.PostAsync("/api/models/native-unknown-route/predict", Json(body));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(named, (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Predict_on_unknown_model_returns_404_naming_it()
    {
        var response = await Client.PostAsync("/api/models/ghost/predict", Json("""{"inputs":[1]}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ghost", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"inputs":[[1,2,3,4],[1,2,3]]}""", "ragged")]
    [InlineData("""{"inputs":[1,"2",3,4]}""", "inputs[1] is the string")]
    [InlineData("""{"inputs":[1,"NaN",3,4]}""", "only finite numbers")]
    [InlineData("""{"inputs":[1,2,3,1e999]}""", "not a finite number")]
    [InlineData("""{"inputs":[]}""", "empty")]
    [InlineData("""{"inputs":[[]]}""", "empty")]
    [InlineData("""{"inputs":5}""", "array of rows")]
    [InlineData("""{"rows":[1,2,3,4]}""", "'inputs'")]
    [InlineData("""[1,2,3,4]""", "JSON object")]
    [InlineData("""{"inputs":[1,2,3,4],"version":"one"}""", "'version'")]
    [InlineData("""{"inputs":[1,2,3,4],"label":"\ud800"}""", "lone UTF-16 surrogate) at $.label")]
    public async Task Predict_with_invalid_inputs_returns_400_naming_the_problem(string body, string problem)
    {
        await CreateMlpAsync("native-bad-inputs");

        var response = await Client.PostAsync("/api/models/native-bad-inputs/predict", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Predict_with_more_rows_than_the_limit_returns_400_naming_the_limit()
    {
        await CreateMlpAsync("native-rows");
        var rows = string.Join(",", Enumerable.Repeat("[1,2,3,4]", MaxPredictRows + 1));

        var response = await Client.PostAsync("/api/models/native-rows/predict", Json($$"""{"inputs":[{{rows}}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MaxPredictRows", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Predict_with_more_values_than_the_limit_returns_400_naming_the_limit_before_allocating_them()
    {
        await CreateMlpAsync("native-elements");

        // Ragged arrays of a few hundred bytes declaring 10^8 and 10^16 values, and a real 60 000-value row.
        foreach (var inputs in new[] { RaggedBomb(8, 10), RaggedBomb(16, 10), Ones(60_000) })
        {
            var response = await Client.PostAsync("/api/models/native-elements/predict", Json($$"""{"inputs": {{inputs}}}"""));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("MaxPredictElements", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"inputs\": [1,2", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"inputs\": [1,2,3,4]}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task Predict_with_empty_malformed_or_non_json_body_returns_4xx_problem(string body, string contentType, HttpStatusCode expected)
    {
        await CreateMlpAsync("native-body");

        var response = await Client.PostAsync("/api/models/native-body/predict", new StringContent(body, System.Text.Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("{\"version\": ", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"version\": \"1\"}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"version\": 1, \"versoin\": 2}", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"version\": 1}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task Bound_bodies_that_are_malformed_empty_incomplete_or_not_json_return_4xx_problem(string body, string contentType, HttpStatusCode expected)
    {
        await CreateMlpAsync("native-binding");

        var response = await Client.PutAsync("/api/models/native-binding/labels/stable", new StringContent(body, System.Text.Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False((await ReadJsonAsync(await Client.GetAsync("/api/models/native-binding"))).GetProperty("labels").TryGetProperty("stable", out _));
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    public async Task Errors_are_problem_details_even_when_the_client_accepts_no_json(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/models/native-accept/labels/stable") { Content = Json("") };
        request.Headers.Accept.ParseAdd(accept);

        var response = await Client.SendAsync(request);
        var unknown = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/datasets/no-such-dataset") { Headers = { { "Accept", accept } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await ReadJsonAsync(response)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Predict_body_over_the_limit_returns_413()
    {
        var huge = $$"""{"inputs": [{{string.Join(",", Enumerable.Repeat("0.123456789", (int)(MaxPredictBytes / 10)))}}]}""";

        var response = await Client.PostAsync("/api/models/anything/predict", Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Upload_over_the_limit_returns_413_and_stores_nothing()
    {
        var response = await UploadAsync(Client, "native-too-big", new byte[MaxUploadBytes + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/native-too-big")).StatusCode);
    }

    [Fact]
    public async Task Uploading_a_file_that_is_not_a_model_returns_400_and_the_model_stays_unknown()
    {
        var response = await UploadAsync(Client, "native-junk", "this is not a model"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await ReadJsonAsync(response)).GetProperty("detail").GetString()!);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/native-junk")).StatusCode);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"m.pt\"\r\n\r\nPK\u0003\u0004")]
    [InlineData("multipart/form-data; boundary=other", "--b\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"m.pt\"\r\n\r\nx\r\n--b--\r\n")]
    [InlineData("multipart/form-data; boundary=b", "no parts at all")]
    public async Task A_cut_off_or_mismatched_multipart_upload_returns_400_and_stores_nothing(string contentType, string body)
    {
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await Client.PostAsync("/api/models/native-cut/versions", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multipart", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/native-cut")).StatusCode);
    }

    [Fact]
    public async Task Upload_that_is_not_multipart_or_has_no_artifact_returns_4xx()
    {
        var json = await Client.PostAsync("/api/models/native-form/versions", Json("{}"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        using var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var missing = await Client.PostAsync("/api/models/native-form/versions", form);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("artifact", (await ReadJsonAsync(missing)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("..")]
    [InlineData("a%2Fb")]
    [InlineData("a/b")]
    [InlineData("mod%C3%A8le")]
    [InlineData("-leading-dash")]
    public async Task Bad_model_names_return_400_or_404_never_500(string name)
    {
        var get = await Client.GetAsync($"/api/models/{name}");
        var upload = await UploadAsync(Client, name, Fixtures.Scripted);
        var predict = await Client.PostAsync($"/api/models/{name}/predict", Json("""{"inputs":[1]}"""));

        foreach (var response in new[] { get, upload, predict })
        {
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed,
                $"{response.RequestMessage?.RequestUri}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_very_long_model_name_is_refused_with_400_naming_the_rule()
    {
        var name = new string('a', 300);

        var response = await UploadAsync(Client, name, Fixtures.Scripted);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1-64", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync($"/api/models/{name}")).StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_return_404_and_wrong_methods_405()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/nothing-here")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Client.PatchAsync("/api/models/x", Json("{}"))).StatusCode);
    }

    private async Task CreateMlpAsync(string name)
    {
        var response = await Client.PostAsync("/api/models", Json($$"""{"name":"{{name}}","architecture":{"type":"mlp","inputs":4,"hidden":[8],"outputs":3},"seed":1}"""));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }
}
