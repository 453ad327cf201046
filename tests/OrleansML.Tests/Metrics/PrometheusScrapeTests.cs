using System.Net;
using System.Net.Http.Json;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Metrics;

/// <summary>
/// Acceptance: a real Prometheus scrapes a cluster-mode Api (bearer token) and a silo (its management port) every
/// second, and after predictions its query API returns the model's request counter with the number made.
/// </summary>
public sealed class PrometheusScrapeTests(PrometheusClusterFixture cluster) : IClassFixture<PrometheusClusterFixture>
{
    [Fact]
    public async Task Prometheus_scrapes_the_api_and_a_silo_and_returns_the_models_request_counter_after_predictions()
    {
        const int predictions = 7;
        var model = $"scraped-{Guid.NewGuid():N}"[..20];
        using var http = cluster.Api.CreateHttpClient(TimeSpan.FromSeconds(30));
        var created = await http.PostAsJsonAsync("api/models", new { name = model, architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 } });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        for (var i = 0; i < predictions; i++)
        {
            (await http.PostAsJsonAsync($"api/models/{model}/predict", new { inputs = new[] { new[] { 1, 2, 3, 4 } } })).EnsureSuccessStatusCode();
        }

        var served = await cluster.Prometheus.UntilAsync($$"""orleansml_serving_requests_total{model="{{model}}"}""",
            r => r.Count == 1 && r[0].Value == predictions, TimeSpan.FromSeconds(60));
        Assert.Equal(("silo", "1"), (served[0].Labels["job"], served[0].Labels["version"]));

        // The Api's own series come through its bearer-token scrape: the HTTP server saw the predictions.
        await cluster.Prometheus.UntilAsync("""sum(http_server_request_duration_seconds_count{job="api",http_route="/api/models/{name}/predict"})""",
            r => r.Count == 1 && r[0].Value >= predictions, TimeSpan.FromSeconds(60));
        var up = await cluster.Prometheus.QueryAsync("up");
        Assert.Equal([("api", 1.0), ("silo", 1.0)], up.Select(s => (s.Labels["job"], s.Value)).OrderBy(s => s.Item1));
    }

    [Fact]
    public async Task Every_query_of_the_grafana_dashboard_is_valid_promql_for_this_prometheus()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "OrleansML.sln")))
        {
            root = root.Parent!;
        }

        using var dashboard = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "grafana-dashboard.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();

        Assert.InRange(queries.Count, 10, 100);
        foreach (var query in queries)
        {
            // Grafana's variables as Grafana would expand them; QueryAsync fails on anything Prometheus refuses.
            await cluster.Prometheus.QueryAsync(query.Replace("$__rate_interval", "1m").Replace("$model", ".*"));
        }
    }

    [Fact]
    public async Task A_silos_metrics_are_served_on_its_management_port_only_and_it_still_listens_on_its_urls()
    {
        using var main = cluster.Silo.CreateHttpClient(TimeSpan.FromSeconds(10));
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{cluster.SiloMetricsPort}/"), Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal(HttpStatusCode.OK, (await main.GetAsync("health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await main.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("health/live")).StatusCode);
        using var api = cluster.Api.CreateHttpClient(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("metrics")).StatusCode);
    }
}

/// <summary>Redis, one silo whose metrics are on a management port, a cluster-mode Api whose scrape needs a token, and Prometheus scraping both.</summary>
public sealed class PrometheusClusterFixture : IAsyncLifetime
{
    public const string Token = "prometheus-scrape-token-0123456789";

    private readonly RedisServer _redis = new();
    private readonly string _clusterId = $"metrics-{Guid.NewGuid():N}";
    private PlatformProcess? _silo;
    private PlatformProcess? _api;
    private PrometheusServer? _prometheus;

    public int SiloMetricsPort { get; } = FreePort.Next();

    public PlatformProcess Silo => _silo!;

    public PlatformProcess Api => _api!;

    public PrometheusServer Prometheus => _prometheus!;

    public async Task InitializeAsync()
    {
        try
        {
            await _redis.InitializeAsync();
            _silo = PlatformProcess.Silo([
                "--OrleansML:Mode", "Cluster", "--OrleansML:Device", "cpu",
                "--Orleans:ClusterId", _clusterId, "--Orleans:ServiceId", "orleansml-tests",
                "--Orleans:Clustering:ProviderType", "Redis", "--Orleans:Clustering:ServiceKey", "redis",
                "--Orleans:GrainStorage:orleansml:ProviderType", "Redis", "--Orleans:GrainStorage:orleansml:ServiceKey", "redis",
                "--ConnectionStrings:redis", _redis.ConnectionString,
                "--OrleansML:Metrics:Url", $"http://127.0.0.1:{SiloMetricsPort}",
            ]);
            await _silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
            _api = PlatformProcess.Api([
                "--OrleansML:Mode", "Cluster", "--OrleansML:Redis", _redis.ConnectionString,
                "--OrleansML:ClusterId", _clusterId, "--OrleansML:ServiceId", "orleansml-tests",
                "--OrleansML:Metrics:Token", Token,
            ]);
            await _api.WaitReadyAsync(TimeSpan.FromSeconds(90));
            _prometheus = await PrometheusServer.StartAsync($"""
                  - job_name: api
                    authorization:
                      credentials: {Token}
                    static_configs:
                      - targets: ['127.0.0.1:{_api.HttpPort}']
                  - job_name: silo
                    static_configs:
                      - targets: ['127.0.0.1:{SiloMetricsPort}']

                """);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        // Silos before Redis: a silo whose Redis is gone can hang on shutdown.
        foreach (var process in new[] { _api, _silo })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        await _redis.DisposeAsync();
    }
}
