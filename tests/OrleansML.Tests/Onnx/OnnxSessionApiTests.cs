using System.Net;
using System.Text.Json;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;
using static OrleansML.Tests.History.HistoryHttp;

namespace OrleansML.Tests.Onnx;

/// <summary>
/// <c>PUT /api/models/{name}/onnx-session</c> through the embedded API: the model shows the settings, its loaded ONNX
/// replica is reopened with them (as <c>GET /api/cluster/models</c> reads them back from ONNX Runtime) and still answers
/// its reference outputs, the history says what changed, and every bad body is a 400 naming the field that changes nothing.
/// </summary>
public sealed class OnnxSessionApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Fixture = "linear_no_bias";

    private HttpClient Client => api.Client;

    [Fact]
    public async Task New_settings_reopen_the_loaded_replica_with_them_and_it_still_answers_its_reference_outputs()
    {
        const string model = "onnx-session-round-trip";
        await api.UploadOkAsync(model, OnnxFixtures.Model(Fixture));
        await AssertReferenceOutputsAsync(model);
        var before = Assert.Single(await ReplicasAsync(model));
        Assert.Equal(1, before.GetProperty("interOpThreads").GetInt32());
        Assert.Equal("all", before.GetProperty("graphOptimization").GetString());
        Assert.True(before.GetProperty("intraOpThreads").GetInt32() >= 1, "automatic intra-op threads resolve to at least one");

        var response = await Client.PutAsync($"/api/models/{model}/onnx-session", Json("""{"intraOpThreads":1,"interOpThreads":2,"graphOptimization":"basic"}"""));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        AssertSettings((await ReadJsonAsync(response)).GetProperty("onnxSession"), 1, 2, "basic");
        AssertSettings((await ReadJsonAsync(await Client.GetAsync($"/api/models/{model}"))).GetProperty("onnxSession"), 1, 2, "basic");
        AssertSettings(Assert.Single(await ReplicasAsync(model)), 1, 2, "basic");
        await AssertReferenceOutputsAsync(model);

        var latest = (await HistoryAsync(Client, model)).GetProperty("entries")[0];
        Assert.Equal(["onnx session: intraOpThreads 1, interOpThreads 2, graphOptimization basic"], Changes(latest));
        AssertSettings(latest.GetProperty("after").GetProperty("onnxSession"), 1, 2, "basic");
        AssertSettings(latest.GetProperty("before").GetProperty("onnxSession"), 0, 1, "all");

        // Back to automatic threads, with optimizations off: reopened again.
        response = await Client.PutAsync($"/api/models/{model}/onnx-session", Json("""{"intraOpThreads":0,"interOpThreads":1,"graphOptimization":"disabled"}"""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var automatic = Assert.Single(await ReplicasAsync(model));
        Assert.Equal("disabled", automatic.GetProperty("graphOptimization").GetString());
        Assert.Equal(before.GetProperty("intraOpThreads").GetInt32(), automatic.GetProperty("intraOpThreads").GetInt32());
        await AssertReferenceOutputsAsync(model);
    }

    [Fact]
    public async Task A_model_without_onnx_versions_takes_the_settings_for_when_one_arrives()
    {
        const string model = "onnx-session-torch-first";
        await api.UploadOkAsync(model, Fixtures.Scripted);

        var response = await Client.PutAsync($"/api/models/{model}/onnx-session", Json("""{"intraOpThreads":2,"interOpThreads":1,"graphOptimization":"extended"}"""));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await api.UploadOkAsync(model, OnnxFixtures.Model(Fixture));
        var inputs = string.Join(",", OnnxFixtures.Inputs(Fixture).Select(i => i.GetRawText()));
        var answer = await Client.PostAsync($"/v2/models/{model}/versions/2/infer", Json($$"""{"inputs":[{{inputs}}]}"""));
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        var onnx = (await LoadedAsync(model)).Single(r => r.GetProperty("version").GetInt32() == 2);
        AssertSettings(onnx.GetProperty("onnxSession"), 2, 1, "extended");
    }

    [Theory]
    [InlineData("""{"intraOpThreads":-1}""", "intraOpThreads")]
    [InlineData("""{"intraOpThreads":65}""", "intraOpThreads")]
    [InlineData("""{"intraOpThreads":2147483648}""", "intraOpThreads")]
    [InlineData("""{"intraOpThreads":"2"}""", "intraOpThreads")]
    [InlineData("""{"interOpThreads":0}""", "interOpThreads")]
    [InlineData("""{"interOpThreads":65}""", "interOpThreads")]
    [InlineData("""{"interOpThreads":null}""", "interOpThreads")]
    [InlineData("""{"graphOptimization":"fast"}""", "graphOptimization")]
    [InlineData("""{"graphOptimization":7}""", "graphOptimization")]
    [InlineData("""{"graphOptimization":null}""", "graphOptimization")]
    [InlineData("""{"threads":4}""", "threads")]
    public async Task A_bad_body_returns_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        const string model = "onnx-session-refusals";
        if (!(await Client.GetAsync($"/api/models/{model}")).IsSuccessStatusCode)
        {
            await api.UploadOkAsync(model, OnnxFixtures.Model(Fixture));
        }

        var before = (await Client.GetStringAsync($"/api/models/{model}"), (await HistoryAsync(Client, model)).GetRawText());

        var response = await Client.PutAsync($"/api/models/{model}/onnx-session", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await Client.GetStringAsync($"/api/models/{model}"), (await HistoryAsync(Client, model)).GetRawText()));
    }

    [Fact]
    public async Task An_unknown_model_is_404()
    {
        var response = await Client.PutAsync("/api/models/no-such-model/onnx-session", Json("""{"intraOpThreads":1}"""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static void AssertSettings(JsonElement settings, int intra, int inter, string optimization)
    {
        Assert.Equal(intra, settings.GetProperty("intraOpThreads").GetInt32());
        Assert.Equal(inter, settings.GetProperty("interOpThreads").GetInt32());
        Assert.Equal(optimization, settings.GetProperty("graphOptimization").GetString());
    }

    private async Task<List<JsonElement>> LoadedAsync(string model)
    {
        var silos = await ReadJsonAsync(await Client.GetAsync("/api/cluster/models"));
        return [.. silos.EnumerateArray().SelectMany(s => s.GetProperty("loaded").EnumerateArray()).Where(m => m.GetProperty("model").GetString() == model)];
    }

    private async Task<List<JsonElement>> ReplicasAsync(string model) =>
        [.. (await LoadedAsync(model)).Select(r => r.GetProperty("onnxSession"))];

    private async Task AssertReferenceOutputsAsync(string model)
    {
        var inputs = string.Join(",", OnnxFixtures.Inputs(Fixture).Select(i => i.GetRawText()));
        var response = await Client.PostAsync($"/v2/models/{model}/infer", Json($$"""{"inputs":[{{inputs}}]}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var outputs = (await ReadJsonAsync(response)).GetProperty("outputs").EnumerateArray().ToList();
        foreach (var expected in OnnxFixtures.Outputs(Fixture))
        {
            var output = outputs.Single(o => o.GetProperty("name").GetString() == expected.GetProperty("name").GetString());
            var datatype = OnnxFixtures.Datatype(output);
            OnnxFixtures.AssertMatches(expected, datatype, OnnxFixtures.Shape(output), OnnxFixtures.Decode(datatype, output.GetProperty("data")));
        }
    }
}
