extern alias AppHostAssembly;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrleansML.Tests.Aspire;

/// <summary>The documented dev loop (aspire/AppHost) as a test: a local redis-server, three silos and the Api.</summary>
public sealed class AppHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180); // ~60 s on an idle 2-core machine; the ceiling leaves room for a shared one

    /// <summary>The snapshot property DCP fills with an executable's or project's process id (internal in Aspire).</summary>
    private const string PidProperty = "executable.pid";

    [Fact]
    public async Task The_apphost_with_a_local_redis_server_serves_predictions_and_leaves_no_process_behind()
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        var adminKey = "aspire-test-" + Guid.NewGuid().ToString("N");
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<AppHostAssembly::Projects.AppHost>(
            ["--Redis:Runtime=executable", $"--Parameters:api-admin-key={adminKey}"], cancellation.Token);
        var processes = new ConcurrentDictionary<string, int>();
        var states = new ConcurrentDictionary<string, string>();

        await using (var app = await appHost.BuildAsync(cancellation.Token))
        {
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token);
            var watcher = WatchAsync(app, processes, states, watching.Token);
            await app.StartAsync(cancellation.Token);
            try
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync("api", cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the api was not healthy within {Timeout}: {string.Join("; ", states.Select(s => $"{s.Key} {s.Value}"))}");
            }

            using var api = app.CreateHttpClient("api");
            var anonymous = await api.GetAsync("api/models", cancellation.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode); // cluster mode is never open by default
            api.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
            var created = await api.PostAsJsonAsync("api/models", new
            {
                name = "aspire-mlp",
                architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 },
                seed = 1,
            }, cancellation.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            var predicted = await api.PostAsJsonAsync("api/models/aspire-mlp/predict", new { inputs = new[] { new[] { 1, 2, 3, 4 } } }, cancellation.Token);
            Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
            var body = await predicted.Content.ReadFromJsonAsync<JsonElement>(cancellation.Token);
            Assert.Equal(1, body.GetProperty("version").GetInt32());
            Assert.Equal(3, body.GetProperty("outputs")[0].GetArrayLength());

            Assert.Contains(processes.Keys, id => id.StartsWith("redis", StringComparison.Ordinal));
            Assert.Equal(3, processes.Keys.Count(id => id.StartsWith("silo-", StringComparison.Ordinal)));
            await watching.CancelAsync();
            await watcher;
        }

        foreach (var (resource, pid) in processes)
        {
            Assert.False(IsAlive(pid), $"{resource} (pid {pid}) is still running after the app was disposed");
        }
    }

    [Fact]
    public async Task With_an_azurite_artifact_store_the_weights_live_in_the_blob_container_and_not_in_redis()
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        var adminKey = "aspire-test-" + Guid.NewGuid().ToString("N");
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<AppHostAssembly::Projects.AppHost>(
            ["--Redis:Runtime=executable", "--ArtifactStore:Kind=azurite", $"--Parameters:api-admin-key={adminKey}"], cancellation.Token);
        var processes = new ConcurrentDictionary<string, int>();
        var states = new ConcurrentDictionary<string, string>();

        await using (var app = await appHost.BuildAsync(cancellation.Token))
        {
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellation.Token);
            var watcher = WatchAsync(app, processes, states, watching.Token);
            try
            {
                await app.StartAsync(cancellation.Token);
                await app.ResourceNotifications.WaitForResourceHealthyAsync("api", cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the api was not healthy within {Timeout}: {string.Join("; ", states.Select(s => $"{s.Key} {s.Value}"))}");
            }

            using var api = app.CreateHttpClient("api");
            api.DefaultRequestHeaders.Add("X-Api-Key", adminKey);
            var created = await api.PostAsJsonAsync("api/models", new
            {
                name = "blob-mlp",
                architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 },
                seed = 1,
            }, cancellation.Token);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var predicted = await api.PostAsJsonAsync("api/models/blob-mlp/predict", new { inputs = new[] { new[] { 1, 2, 3, 4 } } }, cancellation.Token);
            Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);

            var blobs = new global::Azure.Storage.Blobs.BlobContainerClient(await app.GetConnectionStringAsync("artifacts", cancellation.Token), "orleansml");
            var names = new List<string>();
            await foreach (var blob in blobs.GetBlobsAsync(cancellationToken: cancellation.Token))
            {
                names.Add(blob.Name);
            }

            Assert.Contains(names, n => n.Contains("blob-mlp", StringComparison.Ordinal));
            await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis", cancellation.Token) ?? "");
            var keys = redis.GetServers().Single().Keys(pattern: "*").Select(k => k.ToString()).ToList();
            Assert.NotEmpty(keys); // membership and grain state are still there
            Assert.DoesNotContain(keys, k => k.StartsWith("orleansml:artifacts", StringComparison.Ordinal));

            Assert.Contains(processes.Keys, id => id.StartsWith("artifacts", StringComparison.Ordinal));
            await watching.CancelAsync();
            await watcher;
        }

        foreach (var (resource, pid) in processes)
        {
            Assert.False(IsAlive(pid), $"{resource} (pid {pid}) is still running after the app was disposed");
        }
    }

    /// <summary>
    /// Records the process id DCP reports for each instance of redis, Azurite and the silos, and every resource's latest
    /// state (for the failure message).
    /// </summary>
    private static async Task WatchAsync(
        DistributedApplication app, ConcurrentDictionary<string, int> processes, ConcurrentDictionary<string, string> states, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                states[update.ResourceId] = $"{update.Snapshot.State?.Text} {update.Snapshot.HealthStatus} exit={update.Snapshot.ExitCode}"
                    + string.Concat(update.Snapshot.HealthReports.Where(r => r.Status != HealthStatus.Healthy).Select(r => $" ({r.Name}: {r.Description ?? r.ExceptionText})"));
                if (update.Resource.Name is "redis" or "silo" or "artifacts"
                    && update.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } pid
                    && int.TryParse(pid.ToString(), out var id))
                {
                    processes[update.ResourceId] = id;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
