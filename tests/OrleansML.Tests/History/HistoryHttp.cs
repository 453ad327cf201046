using System.Net;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.History;

/// <summary>The calls the history tests share: two versions of the 1000-100-10 fixture, label moves, and the two reads.</summary>
public static class HistoryHttp
{
    /// <summary>Uploads the fixture twice and points stable at v1, then at v2; answers a time between the two moves.</summary>
    public static async Task<DateTimeOffset> MoveStableFromV1ToV2Async(HttpClient client, string model)
    {
        for (var i = 0; i < 2; i++)
        {
            var upload = await UploadAsync(client, model, Fixtures.L1000);
            Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        }

        await SetLabelAsync(client, model, "stable", 1);
        // Taken after the first move answered and before the second is sent: the first entry is older, the second newer.
        var between = DateTimeOffset.UtcNow;
        await SetLabelAsync(client, model, "stable", 2);
        return between;
    }

    public static async Task SetLabelAsync(HttpClient client, string model, string label, int version)
    {
        var response = await client.PutAsync($"/api/models/{model}/labels/{label}", Json($$"""{"version":{{version}}}"""));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> HistoryAsync(HttpClient client, string model, string query = "")
    {
        var response = await client.GetAsync($"/api/models/{model}/history{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    public static async Task<JsonElement> ModelAtAsync(HttpClient client, string model, DateTimeOffset at)
    {
        var response = await client.GetAsync($"/api/models/{model}?at={Uri.EscapeDataString(at.ToString("O"))}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await ReadJsonAsync(response);
    }

    public static int Stable(JsonElement model) => model.GetProperty("labels").GetProperty("stable").GetInt32();

    public static string[] Changes(JsonElement entry) => [.. entry.GetProperty("changes").EnumerateArray().Select(c => c.GetString()!)];

    /// <summary>The entries of a history page as (actor, changes joined by "; "), newest first.</summary>
    public static (string Actor, string Changes)[] Lines(JsonElement history) =>
        [.. history.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("actor").GetString()!, string.Join("; ", Changes(e))))];
}
