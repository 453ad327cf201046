using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OrleansML.Cluster;
using OrleansML.Hosting;
using OrleansML.Serving;
using OrleansML.Tests.History;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

/// <summary>Cluster mode with TLS on every hop and a Redis password (docs/security.md, Transport).</summary>
public sealed class SecureClusterTests(SecureClusterFixture fixture) : IClassFixture<SecureClusterFixture>
{
    private const string ConnectionManager = "Orleans.Runtime.Messaging.ConnectionManager";

    [Fact]
    public async Task Over_https_the_api_creates_predicts_and_records_who_through_mutual_tls_silos_and_a_password_protected_tls_redis()
    {
        // Each silo answers through the agent pinned to it: membership and silo-to-silo calls work over TLS.
        var silos = await fixture.Api.GetFromJsonAsync<SiloInfo[]>("api/cluster");
        var created = await fixture.Api.PostAsJsonAsync("api/models", new
        {
            name = "secure-mlp",
            architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 },
            seed = 1,
        });
        var predicted = await fixture.Api.PostAsJsonAsync("api/models/secure-mlp/predict", new { inputs = new[] { 1.0, 2.0, 3.0, 4.0 } });

        Assert.Equal(fixture.Silos.Select(s => s.SiloPort).Order(), silos!.Select(s => PortOf(s.Address)).Order());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
        Assert.Contains("\"outputs\":[[", await predicted.Content.ReadAsStringAsync());
        // The Api, an Orleans client over TLS, names the admin key's holder in the grain calls it makes.
        Assert.Equal([("admin", "model created; version 1 added")], HistoryHttp.Lines(await HistoryHttp.HistoryAsync(fixture.Api, "secure-mlp")));
        LogAssert.NoSecretIn(fixture.Processes, fixture.Secrets);
    }

    [Fact]
    public async Task An_orleans_client_presenting_the_cluster_certificate_calls_through_the_gateway()
    {
        var call = await CallGatewayAsync(new()
        {
            ["OrleansML:Tls:CertificatePath"] = fixture.ClusterCertificate.PfxPath,
            ["OrleansML:Tls:CertificatePassword"] = fixture.ClusterCertificate.Password,
        });

        Assert.Null(call.Failure);
        Assert.NotNull(call.Models);
    }

    [Fact]
    public async Task An_orleans_client_without_tls_is_refused_by_the_gateway()
    {
        var call = await CallGatewayAsync([]);

        Assert.Null(call.Models);
        Assert.Equal(ConnectionManager, call.FailureCategory);
        // The silo read the client's Orleans preamble where a TLS handshake should be.
        await SiloLogsAsync("Cannot determine the frame size or a corrupted frame was received");
    }

    [Fact]
    public async Task An_orleans_client_presenting_an_unpinned_certificate_is_refused_by_the_gateway()
    {
        using var intruder = new TestCertificate("intruder");
        var call = await CallGatewayAsync(new()
        {
            ["OrleansML:Tls:CertificatePath"] = intruder.PfxPath,
            ["OrleansML:Tls:CertificatePassword"] = intruder.Password,
            // The intruder trusts the silos, so only the silo's refusal of its certificate can stop it.
            ["OrleansML:Tls:AllowedThumbprints:0"] = OrleansMLTlsExtensions.Thumbprint(fixture.ClusterCertificate.Certificate),
        });

        Assert.Null(call.Models);
        Assert.Equal(ConnectionManager, call.FailureCategory);
        await SiloLogsAsync("The remote certificate was rejected by the provided RemoteCertificateValidationCallback");
    }

    [Fact]
    public async Task The_sample_client_predicts_through_mutual_tls_and_a_password_protected_tls_redis()
    {
        var created = await fixture.Api.PostAsJsonAsync("api/models", new
        {
            name = "secure-sample-mlp",
            architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 },
            seed = 1,
        });

        var (exitCode, output) = await SampleClient.RunAsync(
            [
                "--ClusterId", fixture.ClusterId, "--ServiceId", SecureClusterFixture.ServiceId,
                "--TlsCertificatePath", fixture.ClusterCertificate.PfxPath, "--Model", "secure-sample-mlp", "--Input", "1,2,3,4",
            ],
            new Dictionary<string, string>
            {
                ["Redis"] = fixture.RedisConnectionString,
                ["TlsCertificatePassword"] = fixture.ClusterCertificate.Password,
                ["SSL_CERT_FILE"] = fixture.RedisCertificate.CertificatePemPath,
            });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(exitCode == 0, output);
        Assert.Contains("prediction: model=secure-sample-mlp version=1 ", output);
        LogAssert.NoSecretIn("the sample client", output, fixture.Secrets);
    }

    [Fact]
    public async Task A_silo_given_a_wrong_redis_password_stops_at_startup_with_an_authentication_error()
    {
        var wrong = fixture.RedisConnectionString.Replace(fixture.Redis.Password!, "not-the-password", StringComparison.Ordinal);
        var silo = fixture.StartSilo(wrong);

        var exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(90));

        var errors = string.Join("\n", silo.FullOutput.Split('\n').Where(l => l.Contains("Exception", StringComparison.Ordinal)).Distinct());
        Assert.NotEqual(0, exitCode);
        Assert.True(silo.FullOutput.Contains("There was an authentication failure", StringComparison.Ordinal), errors);
        Assert.Contains("WRONGPASS", silo.FullOutput);
        LogAssert.NoSecretIn([silo], [fixture.Redis.Password!, "not-the-password", fixture.ClusterCertificate.Password]);
    }

    /// <summary>
    /// An Orleans client in this process, configured by OrleansML's TLS settings, dialing the first silo's gateway
    /// directly (static clustering keeps Redis out of it) and listing the models. A client that cannot use a
    /// gateway keeps retrying rather than failing its start, so a refusal shows as the first failure it logs.
    /// </summary>
    private async Task<GatewayCall> CallGatewayAsync(Dictionary<string, string?> tls)
    {
        var log = new CapturedLog();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(log);
        builder.UseOrleansClient(client => client
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = fixture.ClusterId;
                o.ServiceId = SecureClusterFixture.ServiceId;
            })
            .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, fixture.Silos[0].GatewayPort))
            .UseOrleansMLTls(new ConfigurationBuilder().AddInMemoryCollection(tls).Build()));
        using var host = builder.Build();
        // A guard against a hang, not a measurement: either outcome comes long before it.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var started = host.StartAsync(deadline.Token);
            if (await Task.WhenAny(started, log.FirstFailure) != started)
            {
                var (category, exception) = await log.FirstFailure;
                return new GatewayCall(null, category, exception);
            }

            await started;
            var models = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IModelCatalogGrain>(0)
                .ListAsync().WaitAsync(deadline.Token);
            return new GatewayCall([.. models], null, null);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Polls the first silo's log for a line, which may come just after the client saw the failure.</summary>
    private async Task SiloLogsAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!fixture.Silos[0].FullOutput.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"the silo did not log \"{text}\"");
            await Task.Delay(50);
        }
    }

    private static int PortOf(string siloAddress) => int.Parse(siloAddress.Split('@')[0].Split(':')[^1]);

    private sealed record GatewayCall(string[]? Models, string? FailureCategory, Exception? Failure);
}
