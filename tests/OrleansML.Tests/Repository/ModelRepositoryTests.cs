using System.Net;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;
using static OrleansML.Tests.Repository.RepositoryApiFixture;

namespace OrleansML.Tests.Repository;

/// <summary>
/// The watched repository end to end: a real folder, the embedded API's silo polling it every second, real
/// TorchScript and ONNX models, and every check over HTTP. Each test has models of its own.
/// </summary>
public sealed class ModelRepositoryTests(RepositoryApiFixture api) : IClassFixture<RepositoryApiFixture>
{
    private HttpClient Client => api.Client;

    private RepositoryFolder Repository => api.Repository;

    private static byte[] L1000 => File.ReadAllBytes(Fixtures.L1000);

    [Fact]
    public async Task A_repository_of_two_models_and_three_versions_is_served_without_an_API_call()
    {
        var status = await api.StatusUntilAsync(s =>
            StateOf(s, "repo-l1000", 1) == "Imported" && StateOf(s, "repo-l1000", 2) == "Imported" && StateOf(s, "repo-onnx", 1) == "Imported");
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Null(Model(status, "repo-l1000").GetProperty("configError").GetString());
        var model = await api.ModelUntilAsync("repo-l1000", m => m.GetProperty("labels").TryGetProperty("stable", out _));

        Assert.Equal(1, model.GetProperty("labels").GetProperty("stable").GetInt32());
        Assert.Equal(["repository:repo-l1000/1", "repository:repo-l1000/2"], model.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("source").GetString()));
        var stable = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-l1000/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(1, stable.GetProperty("version").GetInt32());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(stable.GetProperty("outputs")));
        var second = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-l1000/predict", Json($$"""{"inputs": {{Ones(1000)}}, "version": 2}""")));
        Assert.Equal(2, second.GetProperty("version").GetInt32());

        var inputs = string.Join(",", OnnxFixtures.Inputs("linear_no_bias").Select(i => i.GetRawText()));
        var onnx = await Client.PostAsync("/v2/models/repo-onnx/infer", Json($$"""{"inputs":[{{inputs}}]}"""));
        Assert.True(onnx.IsSuccessStatusCode, await onnx.Content.ReadAsStringAsync());
        var output = (await ReadJsonAsync(onnx)).GetProperty("outputs")[0];
        var expected = OnnxFixtures.Outputs("linear_no_bias").Single();
        OnnxFixtures.AssertMatches(expected, OnnxFixtures.Datatype(output), OnnxFixtures.Shape(output), OnnxFixtures.Decode(OnnxFixtures.Datatype(output), output.GetProperty("data")));

        var history = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-l1000/history?pageSize=200"));
        Assert.All(history.GetProperty("entries").EnumerateArray(), e => Assert.Equal("repository", e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task A_version_folder_added_later_is_served()
    {
        Repository.AddVersion("repo-added", 1, "model.pt", File.ReadAllBytes(Fixtures.Scripted));
        await api.StatusUntilAsync(s => StateOf(s, "repo-added", 1) == "Imported");

        Repository.AddVersion("repo-added", 2, "model.pt", L1000);
        await api.StatusUntilAsync(s => StateOf(s, "repo-added", 2) == "Imported");

        var prediction = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-added/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(2, prediction.GetProperty("version").GetInt32());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(prediction.GetProperty("outputs")));
        var first = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-added/predict", Json($$"""{"inputs": {{Ones(6)}}, "version": 1}""")));
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, Doubles(first.GetProperty("outputs")));
    }

    [Fact]
    public async Task Broken_versions_are_FAILED_with_the_reason_in_the_repository_and_on_the_model_while_the_rest_serve()
    {
        Repository.AddVersion("repo-broken", 1, "model.pt", L1000);
        Repository.AddVersion("repo-broken", 2, "model.pt", []);
        Repository.AddVersion("repo-broken", 3, "model.pt", L1000[..(L1000.Length / 2)]);
        Repository.AddVersion("repo-broken", 4, "README.txt", "notes"u8.ToArray());
        Repository.ReplaceFile("repo-broken", "4", "model.pt", L1000);

        var status = await api.StatusUntilAsync(s => StateOf(s, "repo-broken", 1) == "Imported"
            && StateOf(s, "repo-broken", 2) == "Failed" && StateOf(s, "repo-broken", 3) == "Failed"
            && Version(s, "repo-broken", 4)?.GetProperty("reason").GetString()?.Contains("2 model files") == true);

        Assert.Contains("empty", Version(status, "repo-broken", 2)!.Value.GetProperty("reason").GetString());
        var truncated = Version(status, "repo-broken", 3)!.Value.GetProperty("reason").GetString();
        Assert.StartsWith("model.pt: ", truncated);
        Assert.Contains("2 model files (README.txt, model.pt)", Version(status, "repo-broken", 4)!.Value.GetProperty("reason").GetString());
        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-broken"));
        var versions = model.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetInt32());
        Assert.Equal("Available", versions[1].GetProperty("state").GetString());
        Assert.Equal("Failed", versions[2].GetProperty("state").GetString());
        Assert.Contains("empty", versions[2].GetProperty("failureReason").GetString());
        Assert.Equal("Failed", versions[3].GetProperty("state").GetString());
        Assert.Equal(truncated, $"model.pt: {versions[3].GetProperty("failureReason").GetString()}");
        var prediction = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-broken/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(1, prediction.GetProperty("version").GetInt32());
        Assert.Equal("Imported", StateOf(await api.StatusAsync(), "repo-l1000", 1));

        // A failed folder is tried again when its files change.
        Repository.ReplaceFile("repo-broken", "2", "model.pt", L1000);
        await api.StatusUntilAsync(s => StateOf(s, "repo-broken", 2) == "Imported");
        var fixedModel = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-broken"));
        Assert.Equal("Available", fixedModel.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == 2).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Moving_stable_in_config_json_moves_the_label()
    {
        Repository.AddVersion("repo-labels", 1, "model.pt", L1000);
        Repository.AddVersion("repo-labels", 2, "model.pt", L1000);
        Repository.WriteConfig("repo-labels", """{"labels": {"stable": 1}}""");
        await api.ModelUntilAsync("repo-labels", m => m.GetProperty("labels").TryGetProperty("stable", out var v) && v.GetInt32() == 1
            && m.GetProperty("versions").GetArrayLength() == 2);

        Repository.WriteConfig("repo-labels", """{"labels": {"stable": 2}, "batching": {"enabled": true, "maxBatchSize": 8, "maxQueueDelayMs": 1}}""");
        var moved = await api.ModelUntilAsync("repo-labels", m => m.GetProperty("labels").GetProperty("stable").GetInt32() == 2
            && m.GetProperty("batching").GetProperty("maxBatchSize").GetInt32() == 8);

        Assert.Equal(8, moved.GetProperty("batching").GetProperty("maxBatchSize").GetInt32());
        var prediction = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-labels/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(2, prediction.GetProperty("version").GetInt32());
        var newest = (await ReadJsonAsync(await Client.GetAsync("/api/models/repo-labels/history"))).GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(newest, e => e.GetProperty("actor").GetString() == "repository"
            && e.GetProperty("before").GetProperty("labels").GetProperty("stable").GetInt32() == 1
            && e.GetProperty("after").GetProperty("labels").GetProperty("stable").GetInt32() == 2);
        var status = await api.StatusUntilAsync(s => Model(s, "repo-labels").GetProperty("labels").GetRawText().Contains("\"stable\":2"));
        Assert.Null(Model(status, "repo-labels").GetProperty("configError").GetString());
    }

    [Fact]
    public async Task A_version_folder_that_is_not_a_number_is_reported_and_nothing_else_changes()
    {
        Repository.AddVersion("repo-odd", 1, "model.pt", L1000);
        Repository.AddFolder("repo-odd", "v2", "model.pt", L1000);

        var status = await api.StatusUntilAsync(s => StateOf(s, "repo-odd", 1) == "Imported"
            && s.GetProperty("problems").EnumerateArray().Any(p => p.GetProperty("path").GetString() == "repo-odd/v2"));

        var problem = status.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("path").GetString() == "repo-odd/v2");
        Assert.Contains("'v2' is not a number", problem.GetProperty("reason").GetString());
        Assert.Single(Model(status, "repo-odd").GetProperty("versions").EnumerateArray());
        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-odd"));
        Assert.Equal([1], model.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_config_json_that_does_not_parse_is_reported_and_holds_back_new_versions_while_the_served_one_stays()
    {
        Repository.AddVersion("repo-badconfig", 1, "model.pt", L1000);
        await api.StatusUntilAsync(s => StateOf(s, "repo-badconfig", 1) == "Imported");

        Repository.WriteConfig("repo-badconfig", """{"labels": {"stable": 1}""");
        Repository.AddVersion("repo-badconfig", 2, "model.pt", L1000);
        var status = await api.StatusUntilAsync(s => Model(s, "repo-badconfig").GetProperty("configError").GetString() is not null
            && StateOf(s, "repo-badconfig", 2) == "Failed");

        Assert.Contains("repo-badconfig/config.json does not parse", Model(status, "repo-badconfig").GetProperty("configError").GetString());
        Assert.Contains("config.json is broken", Version(status, "repo-badconfig", 2)!.Value.GetProperty("reason").GetString());
        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-badconfig"));
        Assert.Equal([1], model.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/api/models/repo-badconfig/predict", Json($$"""{"inputs": {{Ones(1000)}}}"""))).StatusCode);

        Repository.WriteConfig("repo-badconfig", """{"labels": {"stable": 2}, "unknown": true}""");
        status = await api.StatusUntilAsync(s => Model(s, "repo-badconfig").GetProperty("configError").GetString()?.Contains("unknown") == true);
        Assert.Equal("Failed", StateOf(status, "repo-badconfig", 2));

        Repository.WriteConfig("repo-badconfig", """{"labels": {"stable": 2}}""");
        await api.ModelUntilAsync("repo-badconfig", m => m.GetProperty("labels").TryGetProperty("stable", out var v) && v.GetInt32() == 2);
        status = await api.StatusUntilAsync(s => Model(s, "repo-badconfig").GetProperty("configError").GetString() is null);
        Assert.Equal("Imported", StateOf(status, "repo-badconfig", 2));
    }

    [Fact]
    public async Task A_removed_version_folder_is_retired_but_the_labelled_one_is_kept()
    {
        Repository.AddVersion("repo-retire", 1, "model.pt", L1000);
        Repository.AddVersion("repo-retire", 2, "model.pt", L1000);
        Repository.AddVersion("repo-retire", 3, "model.pt", L1000);
        Repository.WriteConfig("repo-retire", """{"labels": {"stable": 1}}""");
        await api.ModelUntilAsync("repo-retire", m => m.GetProperty("labels").TryGetProperty("stable", out _) && m.GetProperty("versions").GetArrayLength() == 3);

        Repository.RemoveVersion("repo-retire", 1);
        Repository.RemoveVersion("repo-retire", 2);
        var status = await api.StatusUntilAsync(s => StateOf(s, "repo-retire", 2) == "Retired" && StateOf(s, "repo-retire", 1) == "Kept");

        Assert.Contains("labelled stable", Version(status, "repo-retire", 1)!.Value.GetProperty("reason").GetString());
        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-retire"));
        Assert.Equal([1, 3], model.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var prediction = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-retire/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(1, prediction.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_folder_numbered_as_an_uploaded_version_with_other_bytes_is_FAILED_and_the_upload_stays()
    {
        var upload = await UploadAsync(Client, "repo-upload", File.ReadAllBytes(Fixtures.Scripted));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Repository.AddVersion("repo-upload", 1, "model.pt", L1000);

        var status = await api.StatusUntilAsync(s => StateOf(s, "repo-upload", 1) == "Failed");

        Assert.Contains("already has version 1 (source 'upload'", Version(status, "repo-upload", 1)!.Value.GetProperty("reason").GetString());
        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-upload"));
        var version = Assert.Single(model.GetProperty("versions").EnumerateArray());
        Assert.Equal("upload", version.GetProperty("source").GetString());
        Assert.Equal("Available", version.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Native_weights_beside_architecture_json_are_served_and_a_broken_architecture_json_is_FAILED()
    {
        const string architecture = """{"type": "mlp", "inputs": 4, "hidden": [8], "outputs": 3}""";
        var created = await Client.PostAsync("/api/models", Json($$"""{"name": "repo-native-source", "architecture": {{architecture}}, "seed": 3}"""));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var weights = await Client.GetByteArrayAsync("/api/models/repo-native-source/versions/1/artifact");
        var reference = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-native-source/predict", Json("""{"inputs": [1, 2, 3, 4]}""")));

        Repository.AddVersion("repo-native", 1, "weights.bin", weights);
        Repository.ReplaceFile("repo-native", "1", "architecture.json", System.Text.Encoding.UTF8.GetBytes(architecture));
        Repository.AddVersion("repo-native", 2, "weights.bin", weights);
        Repository.ReplaceFile("repo-native", "2", "architecture.json", "{\"type\": "u8.ToArray());
        var status = await api.StatusUntilAsync(s => StateOf(s, "repo-native", 1) == "Imported"
            && Version(s, "repo-native", 2)?.GetProperty("reason").GetString()?.Contains("architecture.json does not parse") == true);

        Assert.Equal("Failed", StateOf(status, "repo-native", 2));
        var model = await ReadJsonAsync(await Client.GetAsync("/api/models/repo-native"));
        Assert.Equal("Native", model.GetProperty("versions")[0].GetProperty("format").GetString());
        var prediction = await ReadJsonAsync(await Client.PostAsync("/api/models/repo-native/predict", Json("""{"inputs": [1, 2, 3, 4]}""")));
        Fixtures.AssertClose(Doubles(reference.GetProperty("outputs")), Doubles(prediction.GetProperty("outputs")));
    }

    private static double[] Doubles(JsonElement outputs) =>
        (outputs.ValueKind == JsonValueKind.Array && outputs[0].ValueKind == JsonValueKind.Array ? outputs[0] : outputs)
            .EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
