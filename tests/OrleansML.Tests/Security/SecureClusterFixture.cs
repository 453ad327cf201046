using System.Security.Cryptography;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

/// <summary>
/// Cluster mode with every transport secured as docs/security.md describes: a redis-server that requires a password
/// and speaks only TLS, two Silo processes with mutual TLS between themselves and on their gateways, and the Api
/// as a TLS Orleans client serving HTTPS. Secrets travel as environment variables; every process logs at Debug.
/// </summary>
public sealed class SecureClusterFixture : IAsyncLifetime
{
    public const string ServiceId = "orleansml-tests";

    private readonly List<PlatformProcess> _processes = [];

    public SecureClusterFixture() => Redis = new RedisServer { Password = RandomNumberGenerator.GetHexString(32), Tls = RedisCertificate };

    public string ClusterId { get; } = $"secure-{Guid.NewGuid():N}";

    /// <summary>redis-server's certificate; the processes trust it through <c>SSL_CERT_FILE</c>, as a host trusts a private CA.</summary>
    public TestCertificate RedisCertificate { get; } = new("redis");

    /// <summary>The certificate every silo and the Api present to each other.</summary>
    public TestCertificate ClusterCertificate { get; } = new("orleansml-cluster");

    public TestCertificate ApiCertificate { get; } = new("orleansml-api");

    /// <summary>The Api requires credentials: an admin key, and JWT with this signing key (a secret the log must not show either).</summary>
    public string SigningKey { get; } = RandomNumberGenerator.GetHexString(64);

    public AdminApiKey AdminKey { get; } = new();

    public RedisServer Redis { get; }

    /// <summary>
    /// What the processes get: the password and <c>ssl=true</c>, with StackExchange.Redis' default
    /// <c>abortConnect=true</c> so that a refused password stops a process at startup naming the reason
    /// (docs/security.md), and a connect window wider than the default 5 s because a loaded test machine can take
    /// longer than that to finish a TLS handshake.
    /// </summary>
    public string RedisConnectionString => $"{Redis.ConnectionString},connectTimeout=10000";

    public List<PlatformProcess> Silos { get; } = [];

    public PlatformProcess ApiProcess { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IEnumerable<string> Secrets => [Redis.Password!, ClusterCertificate.Password, ApiCertificate.Password, SigningKey, AdminKey.Key];

    /// <summary>Every process started so far, including those a test started and that have exited.</summary>
    public IReadOnlyList<PlatformProcess> Processes
    {
        get
        {
            lock (_processes)
            {
                return [.. _processes];
            }
        }
    }

    public async Task InitializeAsync()
    {
        try
        {
            await Redis.InitializeAsync();
            Silos.AddRange([StartSilo(RedisConnectionString), StartSilo(RedisConnectionString)]);
            await Task.WhenAll(Silos.Select(s => s.WaitReadyAsync(TimeSpan.FromSeconds(90))));
            ApiProcess = Track(PlatformProcess.Api(
                [
                    "--OrleansML:Mode", "Cluster", "--OrleansML:ClusterId", ClusterId, "--OrleansML:ServiceId", ServiceId,
                    "--OrleansML:Tls:CertificatePath", ClusterCertificate.PfxPath,
                ],
                new PlatformProcessOptions
                {
                    Https = ApiCertificate,
                    LogLevel = "Debug",
                    Environment = new Dictionary<string, string>(SecretEnvironment.Concat(AdminKey.Environment))
                    {
                        ["OrleansML__Redis"] = RedisConnectionString,
                        ["OrleansML__Auth__Jwt__SigningKey"] = SigningKey,
                    },
                }));
            Api = AdminKey.Authorize(ApiProcess.CreateHttpClient(TimeSpan.FromSeconds(30)));
            await ApiProcess.WaitReadyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            // xunit does not dispose a fixture whose initialization failed: leave no process behind.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A silo in Aspire.Hosting.Orleans' configuration shape, with TLS and the given Redis connection string.</summary>
    public PlatformProcess StartSilo(string redisConnectionString) => Track(PlatformProcess.Silo(
        [
            "--OrleansML:Mode", "Cluster", "--OrleansML:Device", "cpu",
            "--Orleans:ClusterId", ClusterId, "--Orleans:ServiceId", ServiceId,
            "--Orleans:Clustering:ProviderType", "Redis", "--Orleans:Clustering:ServiceKey", "redis",
            "--Orleans:GrainStorage:orleansml:ProviderType", "Redis", "--Orleans:GrainStorage:orleansml:ServiceKey", "redis",
            "--OrleansML:Tls:CertificatePath", ClusterCertificate.PfxPath,
        ],
        new PlatformProcessOptions
        {
            LogLevel = "Debug",
            Environment = new Dictionary<string, string>(SecretEnvironment) { ["ConnectionStrings__redis"] = redisConnectionString },
        }));

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        // Silos before Redis: a silo whose Redis is gone can hang on shutdown.
        foreach (var process in Processes)
        {
            await process.DisposeAsync();
        }

        await Redis.DisposeAsync();
        RedisCertificate.Dispose();
        ClusterCertificate.Dispose();
        ApiCertificate.Dispose();
    }

    private Dictionary<string, string> SecretEnvironment => new()
    {
        ["OrleansML__Tls__CertificatePassword"] = ClusterCertificate.Password,
        ["SSL_CERT_FILE"] = RedisCertificate.CertificatePemPath,
    };

    private PlatformProcess Track(PlatformProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }
}
