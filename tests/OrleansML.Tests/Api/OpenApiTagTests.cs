using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansML.Tests.Api;

/// <summary>The OpenAPI document groups operations by feature: one tag each, the new ones under their feature's.</summary>
public sealed class OpenApiTagTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Every_operation_has_one_tag_and_the_lists_and_the_download_sit_under_their_features()
    {
        var document = await api.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _))
                .Select(o => (Key: $"{o.Name.ToUpperInvariant()} {path.Name}", Tags: o.Value.TryGetProperty("tags", out var tags) ? tags.EnumerateArray().Select(t => t.GetString()!).ToArray() : [])))
            .ToDictionary(o => o.Key, o => o.Tags);

        Assert.Empty(operations.Where(o => o.Value.Length != 1).Select(o => $"{o.Key}: [{string.Join(", ", o.Value)}]"));
        Assert.Equal(["Training"], operations["GET /api/training/jobs"]);
        Assert.Equal(["Scoring"], operations["GET /api/scoring/jobs"]);
        Assert.Equal(["Models"], operations["GET /api/models/{name}/versions/{version}/artifact"]);
        Assert.DoesNotContain(operations.Keys, k => k.EndsWith(" /metrics", StringComparison.Ordinal));
    }
}
