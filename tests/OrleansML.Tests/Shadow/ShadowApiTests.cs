using System.Net;
using System.Text.Json;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Shadow;

public sealed class ShadowApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task A_shadow_of_the_same_weights_agrees_on_every_row_and_stops_on_delete()
    {
        await TwoVersionsAsync("shadow-twin");
        var set = await Client.PutAsync("/api/models/shadow-twin/shadow", Json("""{"version":2,"percent":100}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(2, (await ReadJsonAsync(set)).GetProperty("shadow").GetProperty("version").GetInt32());

        for (var i = 0; i < 10; i++)
        {
            var prediction = await ReadJsonAsync(await Client.PostAsync("/api/models/shadow-twin/predict", Json($$"""{"inputs": [{{Ones(1000)}}]}""")));
            Assert.Equal(1, prediction.GetProperty("version").GetInt32());
        }

        // Every answered request is mirrored at 100 % (a hedged second call the client sent is answered, so mirrored, too).
        var shadow = await ShadowWhenAsync("shadow-twin", s => s.GetProperty("mirrored").GetInt64() >= 10
            && s.GetProperty("compared").GetInt64() == s.GetProperty("mirrored").GetInt64());
        Assert.Equal(shadow.GetProperty("compared").GetInt64(), shadow.GetProperty("rowsCompared").GetInt64());
        Assert.Equal(1.0, shadow.GetProperty("argmaxAgreement").GetDouble());
        // The same weights, but not always the same batch: float sums may differ in the last bits.
        Assert.InRange(shadow.GetProperty("maxAbsDifference").GetDouble(), 0, 1e-5);
        Assert.True(shadow.GetProperty("meanShadowMilliseconds").GetDouble() > 0);

        var deleteShadowed = await Client.DeleteAsync("/api/models/shadow-twin/versions/2");
        Assert.Equal(HttpStatusCode.Conflict, deleteShadowed.StatusCode);
        Assert.Contains("shadow", (await ReadJsonAsync(deleteShadowed)).GetProperty("detail").GetString());

        var stopped = await Client.DeleteAsync("/api/models/shadow-twin/shadow");
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ReadJsonAsync(stopped)).GetProperty("shadow").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/models/shadow-twin/shadow")).StatusCode);
    }

    [Theory]
    [InlineData("""{"version":2,"percent":101}""", HttpStatusCode.BadRequest, "0 to 100")]
    [InlineData("""{"version":2,"percent":-1}""", HttpStatusCode.BadRequest, "0 to 100")]
    [InlineData("""{"version":2}""", HttpStatusCode.BadRequest, "percent")]
    [InlineData("""{"version":1,"percent":50}""", HttpStatusCode.BadRequest, "already answers unaddressed requests")]
    [InlineData("""{"version":9,"percent":50}""", HttpStatusCode.NotFound, "version 9")]
    public async Task A_bad_shadow_is_refused_naming_the_problem_and_changes_nothing(string body, HttpStatusCode status, string expected)
    {
        var name = $"shadow-bad-{Math.Abs(body.GetHashCode()) % 100000}";
        await TwoVersionsAsync(name);
        var before = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}"));

        var response = await Client.PutAsync($"/api/models/{name}/shadow", Json(body));

        Assert.Equal(status, response.StatusCode);
        var detail = (await ReadJsonAsync(response)).GetProperty("detail").GetString();
        Assert.True(detail!.Contains(expected), detail);
        var after = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}"));
        Assert.Equal(before.GetProperty("revision").GetInt64(), after.GetProperty("revision").GetInt64());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("shadow").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/models/{name}/shadow")).StatusCode);
    }

    [Fact]
    public async Task A_shadow_of_a_model_that_does_not_exist_is_404()
    {
        var response = await Client.PutAsync("/api/models/shadow-nobody/shadow", Json("""{"version":2,"percent":10}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("shadow-nobody", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }

    /// <summary>Polls GET shadow until <paramref name="done"/> holds, with a deadline.</summary>
    private async Task<JsonElement> ShadowWhenAsync(string name, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var shadow = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}/shadow"));
            if (done(shadow))
            {
                return shadow;
            }

            Assert.True(DateTime.UtcNow < deadline, $"shadow still {shadow}");
            await Task.Delay(20);
        }
    }

    private async Task TwoVersionsAsync(string name)
    {
        await api.UploadOkAsync(name, Fixtures.L1000);
        await api.UploadOkAsync(name, Fixtures.L1000);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync($"/api/models/{name}/labels/stable", Json("""{"version":1}"""))).StatusCode);
    }
}
