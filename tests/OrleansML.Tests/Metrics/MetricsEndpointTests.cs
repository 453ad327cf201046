using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Metrics;

/// <summary>The embedded API with <c>OrleansML:Metrics:Token</c> set: the scrape in the Prometheus text format, for the token only.</summary>
public sealed class MetricsEndpointTests(TokenMetricsApiFixture api) : IClassFixture<TokenMetricsApiFixture>
{
    private const string Token = TokenMetricsApiFixture.Token;

    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task With_the_token_metrics_answer_in_the_prometheus_text_format_with_the_models_request_counter()
    {
        var model = $"metrics-{Guid.NewGuid():N}"[..20];
        (await _client.PostAsJsonAsync("/api/models", new { name = model, architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 } })).EnsureSuccessStatusCode();
        for (var i = 0; i < 3; i++)
        {
            (await _client.PostAsJsonAsync($"/api/models/{model}/predict", new { inputs = new[] { new[] { 1, 2, 3, 4 } } })).EnsureSuccessStatusCode();
        }

        var counter = new Regex($@"^orleansml_serving_requests_total\{{[^}}]*model=""{model}"",version=""1""[^}}]*\}} (\d+)", RegexOptions.Multiline);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string body;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
            body = await response.Content.ReadAsStringAsync();
            if (counter.Match(body) is { Success: true } match && match.Groups[1].Value == "3")
            {
                break;
            }

            // The exporter serves a cached scrape for 300 ms; the next one includes the predictions.
            Assert.True(DateTime.UtcNow < deadline, $"no request counter of 3 for {model} in:\n{body}");
            await Task.Delay(100);
        }

        Assert.Contains("# TYPE orleansml_serving_requests_total counter", body);
        Assert.Contains("# TYPE orleansml_serving_request_duration_milliseconds histogram", body);
        Assert.Matches($@"orleansml_serving_request_duration_milliseconds_bucket\{{[^}}]*model=""{model}"",version=""1""", body);
        Assert.Matches($@"(?m)^orleansml_serving_model_memory_bytes\{{[^}}]*model=""{model}"",version=""1""[^}}]*\}} [1-9]\d*", body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer " + Token + "x")]
    [InlineData("Basic " + Token)]
    [InlineData(Token)]
    public async Task Without_the_token_metrics_are_refused_with_401_and_a_bearer_challenge(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.DoesNotContain("orleansml", await response.Content.ReadAsStringAsync());
    }

}

/// <summary>One embedded API (open, as the Development loop runs) whose scrape asks for a bearer token.</summary>
public sealed class TokenMetricsApiFixture : IAsyncLifetime
{
    public const string Token = "scrape-token-0123456789";

    private readonly TempDirectory _data = new();
    private ApiFactory _api = null!;

    public HttpClient Client { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(_data.Path, settings: new Dictionary<string, string> { ["OrleansML:Metrics:Token"] = Token });
        Client = _api.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _api.DisposeAsync();
        _data.Dispose();
    }
}
