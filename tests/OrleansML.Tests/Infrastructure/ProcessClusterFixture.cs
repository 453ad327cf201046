using System.Net.Http.Json;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// Cluster mode as deployed: a real redis-server, three Silo processes clustering through it, and the Api as an
/// Orleans client finding their gateways through Redis. Silos can be killed (-9), added and restarted. A derived
/// fixture adds configuration of its own to every process (<see cref="ProcessEnvironment"/>).
/// </summary>
public class ProcessClusterFixture : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly string _clusterId = $"test-{Guid.NewGuid():N}";

    /// <summary>Where the silos cluster, for other Orleans clients of this cluster (samples/ClusterClient).</summary>
    public string RedisConnectionString => _redis.ConnectionString;

    public string ClusterId => _clusterId;

    public string ServiceId => "orleansml-tests";

    public List<PlatformProcess> Silos { get; } = [];

    public PlatformProcess? ApiProcess { get; private set; }

    public HttpClient Api { get; private set; } = null!;

    /// <summary>Silos take Aspire.Hosting.Orleans' configuration shape; the Api takes OrleansML's own.</summary>
    private string[] SiloSettings =>
    [
        "--OrleansML:Mode", "Cluster", "--OrleansML:Device", "cpu",
        "--Orleans:ClusterId", _clusterId, "--Orleans:ServiceId", "orleansml-tests",
        "--Orleans:Clustering:ProviderType", "Redis", "--Orleans:Clustering:ServiceKey", "redis",
        "--Orleans:GrainStorage:orleansml:ProviderType", "Redis", "--Orleans:GrainStorage:orleansml:ServiceKey", "redis",
        "--ConnectionStrings:redis", _redis.ConnectionString,
        "--OrleansML:Training:WorkerTimeout", "00:00:05", "--OrleansML:Training:CheckpointEveryRounds", "10",
    ];

    private string[] ApiSettings =>
    [
        "--OrleansML:Mode", "Cluster", "--OrleansML:Redis", _redis.ConnectionString,
        "--OrleansML:ClusterId", _clusterId, "--OrleansML:ServiceId", "orleansml-tests",
    ];

    /// <summary>Environment variables of every silo and Api process this fixture starts (none here).</summary>
    protected virtual IReadOnlyDictionary<string, string> ProcessEnvironment { get; } = new Dictionary<string, string>();

    public virtual async Task InitializeAsync()
    {
        try
        {
            await _redis.InitializeAsync();
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartSiloAsync()));
            await StartApiAsync();
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed: leave no process behind.
            await DisposeAsync();
            throw;
        }
    }

    public async Task<PlatformProcess> StartSiloAsync()
    {
        var silo = PlatformProcess.Silo(SiloSettings, new PlatformProcessOptions { Environment = ProcessEnvironment });
        lock (Silos)
        {
            Silos.Add(silo);
        }

        await silo.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>
    /// Waits until membership lists exactly the silo processes that are alive: after a kill -9 the dead silo stays
    /// "active" until the others vote it dead, and a test that creates grains meanwhile may place one there.
    /// </summary>
    public async Task WaitForMembershipAsync()
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var alive = Silos.Count(s => !s.HasExited);
            try
            {
                var listed = await Api.GetFromJsonAsync<OrleansML.Cluster.SiloInfo[]>("api/cluster");
                if (listed!.Length == alive)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"membership did not settle on {alive} silos within 90 s");
            await Task.Delay(250);
        }
    }

    public async Task StartApiAsync()
    {
        ApiProcess = PlatformProcess.Api(ApiSettings, new PlatformProcessOptions { Environment = ProcessEnvironment });
        Api = new HttpClient { BaseAddress = ApiProcess.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await ApiProcess.WaitReadyAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>Stops the Api and every silo as an orchestrator would (SIGTERM), keeping Redis and its data.</summary>
    public async Task StopPlatformAsync()
    {
        Api?.Dispose();
        if (ApiProcess is not null)
        {
            await ApiProcess.StopAsync();
            await ApiProcess.DisposeAsync();
            ApiProcess = null;
        }

        await Task.WhenAll(Silos.Select(s => s.StopAsync()));
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        Silos.Clear();
    }

    public virtual async Task DisposeAsync()
    {
        // Silos before Redis: a silo whose Redis is gone can hang on shutdown.
        await StopPlatformAsync();
        await _redis.DisposeAsync();
    }
}

/// <summary>Serving under silo failures and scale-out. Not run in parallel with others: it measures failure rates.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessClusterCollection : ICollectionFixture<ProcessClusterFixture>
{
    public const string Name = "multi-process cluster";
}

/// <summary>A cluster of its own for the full restart, so no silo killed elsewhere lingers in its membership.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RestartClusterCollection : ICollectionFixture<ProcessClusterFixture>
{
    public const string Name = "multi-process cluster restart";
}
