using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;
using OrleansML.Torch;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

/// <summary>An upload's file is checked against its declared (or detected) format before torch loads it.</summary>
public sealed class UploadIntegrityTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Mlp = """{"type":"mlp","inputs":4,"hidden":[8],"outputs":3}""";

    private HttpClient Client => api.Client;

    [Fact]
    public async Task A_file_declared_TorchScript_that_is_not_a_TorchScript_archive_is_refused_and_leaves_no_version()
    {
        await CreateAsync("integrity-script");

        var weights = await UploadAsync("integrity-script", NativeWeights(), format: "TorchScript");
        var plainZip = await UploadAsync("integrity-script", "PK\u0003\u0004 not really a zip"u8.ToArray(), format: "TorchScript");

        Assert.Equal(HttpStatusCode.BadRequest, weights.StatusCode);
        Assert.Contains("declared TorchScript but is not a zip archive", await DetailAsync(weights));
        Assert.Equal(HttpStatusCode.BadRequest, plainZip.StatusCode);
        Assert.Contains("not a valid one", await DetailAsync(plainZip));
        await AssertOnlyVersionOneAsync("integrity-script");
    }

    [Fact]
    public async Task A_file_declared_native_that_is_not_in_TorchSharps_format_is_refused_and_leaves_no_version()
    {
        await CreateAsync("integrity-native");

        var script = await UploadAsync("integrity-native", File.ReadAllBytes(Fixtures.Scripted), format: "Native", architecture: Mlp);
        var truncated = await UploadAsync("integrity-native", NativeWeights()[..^3], architecture: Mlp);

        Assert.Equal(HttpStatusCode.BadRequest, script.StatusCode);
        Assert.Contains("declared native weights but is not in TorchSharp's format", await DetailAsync(script));
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);
        Assert.Contains("declares more data than the file holds", await DetailAsync(truncated));
        await AssertOnlyVersionOneAsync("integrity-native");
    }

    [Fact]
    public async Task Native_weights_declaring_a_huge_tensor_are_refused_by_the_format_check_not_by_torch()
    {
        // The module's 4 tensors, the first named as the module names it, float32, of rank 2^40: TorchSharp's
        // Module.load allocates a long per declared dimension before it compares them with the module's.
        byte[] header = [4, 10, .. "fc1.weight"u8, 6, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20];

        var response = await UploadAsync("integrity-huge", header, architecture: Mlp);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a rank of 1099511627776", await DetailAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/integrity-huge")).StatusCode);
    }

    [Fact]
    public async Task A_declared_format_that_matches_is_accepted_and_an_unknown_one_is_refused_naming_the_part()
    {
        var accepted = await UploadAsync("integrity-declared", File.ReadAllBytes(Fixtures.Scripted), format: "TorchScript");
        var unknown = await UploadAsync("integrity-declared", File.ReadAllBytes(Fixtures.Scripted), format: "tensorflow");
        var mismatched = await UploadAsync("integrity-declared", File.ReadAllBytes(Fixtures.Scripted), format: "onnx");

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'format'", await DetailAsync(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
        Assert.Contains("declared ONNX", await DetailAsync(mismatched));
    }

    private async Task CreateAsync(string name)
    {
        var response = await Client.PostAsync("/api/models", Json($$"""{"name":"{{name}}","architecture":{{Mlp}},"seed":1}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The refused uploads left the model at version 1, and nothing of them in the staging area.</summary>
    private async Task AssertOnlyVersionOneAsync(string name)
    {
        var model = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}"));
        Assert.Equal([1], model.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var staging = Path.Combine(api.DataDirectory, "artifacts", "staging");
        Assert.Empty(Directory.Exists(staging) ? Directory.GetFiles(staging, "*", SearchOption.AllDirectories) : []);
    }

    private async Task<HttpResponseMessage> UploadAsync(string model, byte[] artifact, string? format = null, string? architecture = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(artifact);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "artifact", "model.dat");
        if (format is not null)
        {
            form.Add(new StringContent(format), "format");
        }

        if (architecture is not null)
        {
            form.Add(new StringContent(architecture, Encoding.UTF8, "application/json"), "architecture");
        }

        return await Client.PostAsync($"/api/models/{model}/versions", form);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response) =>
        (await ReadJsonAsync(response)).GetProperty("detail").GetString()!;

    private static byte[] NativeWeights()
    {
        using var module = ArchitectureBuilder.Build(new ArchitectureSpec("mlp", 4, [8], 3));
        return ModelArtifacts.SaveNative(module);
    }
}
