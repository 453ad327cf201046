using System.Net;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

/// <summary>The rollout endpoints over HTTP: what is refused (and changes nothing), and what a running rollout locks.</summary>
public sealed class RolloutApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>Holds a rollout at its first step: the step lasts a day and needs more requests than any test sends.</summary>
    private const string Held = """{"candidate":2,"stepDurationSeconds":86400,"minRequests":1000000}""";

    private HttpClient Client => api.Client;

    /// <summary>A model with versions 1 and 2 (the same TorchScript file) and <c>stable</c> on 1.</summary>
    private async Task<string> TwoVersionModelAsync(string name)
    {
        await api.UploadOkAsync(name, Fixtures.L1000);
        await api.UploadOkAsync(name, Fixtures.L1000);
        var label = await Client.PutAsync($"/api/models/{name}/labels/stable", Json("""{"version":1}"""));
        Assert.Equal(HttpStatusCode.OK, label.StatusCode);
        return name;
    }

    [Theory]
    [InlineData("unknown", """{"candidate":9}""", HttpStatusCode.NotFound, "candidate version 9")]
    [InlineData("missing", """{"steps":[5,100]}""", HttpStatusCode.BadRequest, "candidate")]
    [InlineData("flat", """{"candidate":2,"steps":[5,5,100]}""", HttpStatusCode.BadRequest, "steps must increase")]
    [InlineData("short", """{"candidate":2,"steps":[5,25,50]}""", HttpStatusCode.BadRequest, "steps must end at 100")]
    [InlineData("errors", """{"candidate":2,"maxErrorRate":2}""", HttpStatusCode.BadRequest, "maxErrorRate")]
    [InlineData("ratio", """{"candidate":2,"maxP99Ratio":0.5}""", HttpStatusCode.BadRequest, "maxP99Ratio")]
    [InlineData("requests", """{"candidate":2,"minRequests":0}""", HttpStatusCode.BadRequest, "minRequests")]
    [InlineData("duration", """{"candidate":2,"stepDurationSeconds":0.2}""", HttpStatusCode.BadRequest, "stepDurationSeconds")]
    [InlineData("baseline", """{"candidate":2,"baseline":"prod"}""", HttpStatusCode.BadRequest, "baseline label 'prod'")]
    [InlineData("same", """{"candidate":1}""", HttpStatusCode.BadRequest, "already what label 'stable' points at")]
    [InlineData("type", """{"candidate":"two"}""", HttpStatusCode.BadRequest, "")]
    public async Task A_bad_rollout_is_refused_with_a_4xx_naming_what_is_wrong_and_nothing_changes(string suffix, string body, HttpStatusCode status, string message)
    {
        var name = await TwoVersionModelAsync($"rollout-bad-{suffix}");

        var response = await Client.PostAsync($"/api/models/{name}/rollouts", Json(body));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        var model = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}"));
        Assert.Equal(JsonValueKind.Null, model.GetProperty("rollout").ValueKind);
        Assert.Equal(1, model.GetProperty("labels").GetProperty("stable").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/models/{name}/rollouts")).StatusCode);
    }

    [Fact]
    public async Task A_rollout_for_an_unknown_model_is_404()
    {
        var response = await Client.PostAsync("/api/models/rollout-nobody/rollouts", Json(Held));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("rollout-nobody", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_running_rollout_refuses_a_second_one_and_label_and_traffic_changes_naming_itself_until_aborted()
    {
        var name = await TwoVersionModelAsync("rollout-locks");

        var started = await Client.PostAsync($"/api/models/{name}/rollouts", Json(Held));
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal($"/api/models/{name}/rollouts", started.Headers.Location?.OriginalString);
        var rollout = await ReadJsonAsync(started);
        Assert.Equal("Running", rollout.GetProperty("state").GetString());
        Assert.Equal(5, rollout.GetProperty("percent").GetInt32());
        Assert.Equal(1, rollout.GetProperty("baselineVersion").GetInt32());

        var refusals = new[]
        {
            await Client.PostAsync($"/api/models/{name}/rollouts", Json(Held)),
            await Client.PutAsync($"/api/models/{name}/labels/stable", Json("""{"version":2}""")),
            await Client.PutAsync($"/api/models/{name}/labels/canary", Json("""{"version":2}""")),
            await Client.DeleteAsync($"/api/models/{name}/labels/stable"),
            await Client.PutAsync($"/api/models/{name}/traffic", Json("""{"weights":{"stable":1}}""")),
            await Client.DeleteAsync($"/api/models/{name}/versions/2"),
        };
        foreach (var refusal in refusals)
        {
            Assert.Equal(HttpStatusCode.Conflict, refusal.StatusCode);
            Assert.Contains("rollout of version 2 against label 'stable'", (await ReadJsonAsync(refusal)).GetProperty("detail").GetString());
        }

        var model = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}"));
        Assert.Equal(1, model.GetProperty("labels").GetProperty("stable").GetInt32());
        Assert.False(model.GetProperty("labels").TryGetProperty("canary", out _));
        Assert.Equal("Running", model.GetProperty("rollout").GetProperty("state").GetString());
        var current = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}/rollouts"));
        Assert.Equal(0, current.GetProperty("step").GetInt32());
        Assert.Equal("Wait", current.GetProperty("decision").GetString());

        var aborted = await Client.DeleteAsync($"/api/models/{name}/rollouts");
        Assert.Equal(HttpStatusCode.OK, aborted.StatusCode);
        var ended = await ReadJsonAsync(aborted);
        Assert.Equal("Aborted", ended.GetProperty("state").GetString());
        Assert.Equal(0, ended.GetProperty("percent").GetInt32());
        Assert.Equal("Abort", ended.GetProperty("completed")[0].GetProperty("decision").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await Client.DeleteAsync($"/api/models/{name}/rollouts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync($"/api/models/{name}/labels/canary", Json("""{"version":2}"""))).StatusCode);
        var after = await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}/rollouts"));
        Assert.Equal("Aborted", after.GetProperty("state").GetString());
        Assert.Equal(1, (await ReadJsonAsync(await Client.GetAsync($"/api/models/{name}"))).GetProperty("labels").GetProperty("stable").GetInt32());
    }

    [Fact]
    public async Task A_rollout_is_refused_while_a_traffic_split_decides_unaddressed_requests()
    {
        var name = await TwoVersionModelAsync("rollout-split");
        await Client.PutAsync($"/api/models/{name}/traffic", Json("""{"weights":{"stable":1}}"""));

        var response = await Client.PostAsync($"/api/models/{name}/rollouts", Json(Held));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("traffic split", (await ReadJsonAsync(response)).GetProperty("detail").GetString());
    }
}
