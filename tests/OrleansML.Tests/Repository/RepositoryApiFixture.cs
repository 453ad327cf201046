using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Repository;

/// <summary>
/// An embedded API watching a file:// repository in a temp folder (polled every second), which holds two models
/// and three versions before the API starts: <c>repo-l1000</c> 1 and 2 (the 1000-100-10 TorchScript fixture, stable
/// at 1 in its config.json) and <c>repo-onnx</c> 1 (the linear_no_bias ONNX fixture). Each test adds its own models.
/// </summary>
public sealed class RepositoryApiFixture : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _repository = new();

    public RepositoryApiFixture()
    {
        Repository = new RepositoryFolder(_repository.Path);
        Repository.AddVersion("repo-l1000", 1, "model.pt", File.ReadAllBytes(Fixtures.L1000));
        Repository.AddVersion("repo-l1000", 2, "model.pt", File.ReadAllBytes(Fixtures.L1000));
        Repository.WriteConfig("repo-l1000", """{"labels": {"stable": 1}}""");
        Repository.AddVersion("repo-onnx", 1, "model.onnx", File.ReadAllBytes(OnnxFixtures.Model("linear_no_bias")));
        Factory = new ApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["OrleansML:Repository:Url"] = new Uri(_repository.Path + "/").AbsoluteUri,
            ["OrleansML:Repository:PollInterval"] = "00:00:01",
        });
        Client = Factory.CreateClient();
    }

    public ApiFactory Factory { get; }

    public HttpClient Client { get; }

    public RepositoryFolder Repository { get; }

    public async Task<JsonElement> StatusAsync()
    {
        var response = await Client.GetAsync("/api/repository");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    /// <summary>Polls GET /api/repository until <paramref name="done"/> holds (a minute at most: the poller runs every second).</summary>
    public async Task<JsonElement> StatusUntilAsync(Func<JsonElement, bool> done) =>
        (await Poll.UntilAsync(async () => new Seen(await StatusAsync()), s => done(s.Json), _ => false, TimeSpan.FromMinutes(1), s => s.Json.GetRawText())).Json;

    /// <summary>Polls GET /api/models/{name} until <paramref name="done"/> holds.</summary>
    public async Task<JsonElement> ModelUntilAsync(string name, Func<JsonElement, bool> done) =>
        (await Poll.UntilAsync(
            async () =>
            {
                var response = await Client.GetAsync($"/api/models/{name}");
                return new Seen(response.IsSuccessStatusCode ? await ReadJsonAsync(response) : default);
            },
            s => s.Json.ValueKind == JsonValueKind.Object && done(s.Json), _ => false, TimeSpan.FromMinutes(1), s => s.Json.ValueKind == JsonValueKind.Undefined ? "not found" : s.Json.GetRawText())).Json;

    /// <summary>The repository's entry for a version folder, or null.</summary>
    public static JsonElement? Version(JsonElement status, string model, int version) =>
        status.GetProperty("models").EnumerateArray().Where(m => m.GetProperty("name").GetString() == model)
            .SelectMany(m => m.GetProperty("versions").EnumerateArray())
            .Cast<JsonElement?>().FirstOrDefault(v => v!.Value.GetProperty("version").GetInt32() == version);

    public static string? StateOf(JsonElement status, string model, int version) =>
        Version(status, model, version)?.GetProperty("state").GetString();

    public static JsonElement Model(JsonElement status, string model) =>
        status.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == model);

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        _data.Dispose();
        _repository.Dispose();
    }

    private sealed record Seen(JsonElement Json);
}

/// <summary>
/// The repository folder. Every change lands in one step (built under a hidden name, then moved in), as the README
/// advises, so a poll never reads half a file.
/// </summary>
public sealed class RepositoryFolder(string root)
{
    public string Root => root;

    public void AddVersion(string model, int version, string file, byte[] content) => AddFolder(model, version.ToString(), file, content);

    /// <summary>Adds a folder under the model's, whatever its name (a version folder, or one that is not a number).</summary>
    public void AddFolder(string model, string folder, string file, byte[] content)
    {
        var staging = Path.Combine(root, model, $".staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        File.WriteAllBytes(Path.Combine(staging, file), content);
        Directory.Move(staging, Path.Combine(root, model, folder));
    }

    /// <summary>Replaces a file of an existing version folder.</summary>
    public void ReplaceFile(string model, string folder, string file, byte[] content) => Write(Path.Combine(root, model, folder, file), content);

    public void WriteConfig(string model, string json) => Write(Path.Combine(root, model, "config.json"), System.Text.Encoding.UTF8.GetBytes(json));

    public void RemoveVersion(string model, int version) => Directory.Delete(Path.Combine(root, model, version.ToString()), recursive: true);

    private static void Write(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
