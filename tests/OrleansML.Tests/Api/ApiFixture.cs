using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Api;

/// <summary>
/// One embedded API per test class (a silo start is the slow part), with small limits so the 413 and row-limit
/// paths are cheap to reach. Tests use their own model names.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const long MaxUploadBytes = 2 * 1024 * 1024;
    public const long MaxPredictBytes = 256 * 1024;
    public const int MaxPredictRows = 100;
    public const long MaxPredictElements = 50_000;

    private readonly TempDirectory _data = new();
    private ApiFactory _api = null!;

    public HttpClient Client { get; private set; } = null!;

    public string DataDirectory => _data.Path;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["OrleansML:Limits:MaxUploadBytes"] = MaxUploadBytes.ToString(),
            ["OrleansML:Limits:MaxPredictBytes"] = MaxPredictBytes.ToString(),
            ["OrleansML:Limits:MaxPredictRows"] = MaxPredictRows.ToString(),
            ["OrleansML:Limits:MaxPredictElements"] = MaxPredictElements.ToString(),
        });
        Client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _data.Dispose();
    }

    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, string model, string path, string? signature = null) =>
        UploadAsync(client, model, File.ReadAllBytes(path), signature);

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string model, byte[] artifact, string? signature = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(artifact);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "artifact", "model.dat");
        if (signature is not null)
        {
            form.Add(new StringContent(signature, Encoding.UTF8, "application/json"), "signature");
        }

        return await client.PostAsync($"/api/models/{model}/versions", form);
    }

    /// <summary>Uploads and insists on 201, for tests about what comes after.</summary>
    public Task UploadOkAsync(string model, string path, string? signature = null) => UploadOkAsync(model, File.ReadAllBytes(path), signature);

    /// <summary>Uploads and insists on 201, for tests about what comes after.</summary>
    public async Task UploadOkAsync(string model, byte[] artifact, string? signature = null)
    {
        var response = await UploadAsync(Client, model, artifact, signature);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>())!;

    public static string Ones(int count) => $"[{string.Join(",", Enumerable.Repeat("1", count))}]";

    /// <summary>
    /// A ragged array a few hundred bytes long whose first elements declare <paramref name="width"/>^<paramref name="depth"/>
    /// values: each level is [deeper, 0, 0, ...], so only the first element nests.
    /// </summary>
    public static string RaggedBomb(int depth, int width)
    {
        var json = "0";
        for (var level = 0; level < depth; level++)
        {
            json = $"[{json}{string.Concat(Enumerable.Repeat(",0", width - 1))}]";
        }

        return json;
    }

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
