using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.WebConsole;

/// <summary>The reads the console adds to the REST API, on an open embedded API: loaded models per silo and the serving statistics.</summary>
public sealed class ConsoleApiTests(EmbeddedApiFixture api) : IClassFixture<EmbeddedApiFixture>
{
    [Fact]
    public async Task Serving_statistics_count_each_request_once_in_a_latency_bucket()
    {
        const string model = "stats-histogram";
        await ConsoleWalkthroughTests.Upload(api.Client, model);
        for (var i = 0; i < 3; i++)
        {
            (await api.Client.PostAsJsonAsync($"/api/models/{model}/predict", new { inputs = Enumerable.Repeat(1.0, 1000).ToArray() })).EnsureSuccessStatusCode();
        }

        var statistics = await api.Client.GetFromJsonAsync<JsonElement>($"/api/serving/statistics?model={model}");
        var bounds = statistics.GetProperty("latencyBoundsMs").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        Assert.Equal(LatencyHistogram.UpperBoundsMs(), bounds);
        var version = Assert.Single(statistics.GetProperty("versions").EnumerateArray());
        Assert.Equal(model, version.GetProperty("model").GetString());
        Assert.Equal(3, version.GetProperty("requests").GetInt64());
        var buckets = version.GetProperty("latencyBuckets").EnumerateArray().Select(c => c.GetInt64()).ToArray();
        Assert.Equal(bounds.Length + 1, buckets.Length);
        Assert.Equal(3, buckets.Sum());
    }

    [Fact]
    public async Task Serving_statistics_of_an_unknown_model_are_404()
    {
        var response = await api.Client.GetAsync("/api/serving/statistics?model=no-such-model");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-model", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Loaded_models_name_each_silo_with_the_versions_it_holds_and_their_bytes()
    {
        const string model = "loaded-view";
        await ConsoleWalkthroughTests.Upload(api.Client, model);
        (await api.Client.PostAsJsonAsync($"/api/models/{model}/predict", new { inputs = Enumerable.Repeat(1.0, 1000).ToArray() })).EnsureSuccessStatusCode();

        var silos = await api.Client.GetFromJsonAsync<JsonElement>("/api/cluster/models");
        var silo = Assert.Single(silos.EnumerateArray());
        Assert.Equal("cpu", silo.GetProperty("device").GetString());
        var loaded = Assert.Single(silo.GetProperty("loaded").EnumerateArray(), m => m.GetProperty("model").GetString() == model);
        Assert.Equal(1, loaded.GetProperty("version").GetInt32());
        Assert.True(loaded.GetProperty("bytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Me_on_an_open_api_says_no_credential_is_needed_and_grants_every_scope()
    {
        var me = await api.Client.GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.False(me.GetProperty("authRequired").GetBoolean());
        Assert.Equal(["predict", "train", "admin"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task The_console_is_served_at_the_root_with_its_own_security_policy()
    {
        var index = await api.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("console/app.js", await index.Content.ReadAsStringAsync());
        Assert.Contains("connect-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        var chart = await api.Client.GetAsync("/console/vendor/chart.umd.min.js");
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.StartsWith("/*!\n * Chart.js v4.5.1", await chart.Content.ReadAsStringAsync());
    }
}
