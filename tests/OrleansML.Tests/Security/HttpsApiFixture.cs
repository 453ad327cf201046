using System.Security.Cryptography;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

/// <summary>
/// The built Api as a real process in embedded mode, serving HTTPS only through Kestrel's standard endpoint
/// configuration with a certificate generated for this run, logging at Debug so that a leaked secret would show.
/// </summary>
public sealed class HttpsApiFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();

    public TestCertificate Certificate { get; } = new("orleansml-api");

    /// <summary>The Api requires credentials: an admin key, and JWT with this signing key (a secret the log must not show either).</summary>
    public string SigningKey { get; } = RandomNumberGenerator.GetHexString(64);

    public AdminApiKey AdminKey { get; } = new();

    public PlatformProcess Api { get; private set; } = null!;

    public IEnumerable<string> Secrets => [Certificate.Password, SigningKey, AdminKey.Key];

    public async Task InitializeAsync()
    {
        Api = PlatformProcess.Api(
            [
                "--OrleansML:Mode", "Embedded", "--OrleansML:DataDirectory", _data.Path, "--OrleansML:Device", "cpu",
                "--OrleansML:SiloPort", FreePort.Next().ToString(), "--OrleansML:GatewayPort", FreePort.Next().ToString(),
            ],
            new PlatformProcessOptions
            {
                Https = Certificate,
                LogLevel = "Debug",
                Environment = new Dictionary<string, string>(AdminKey.Environment) { ["OrleansML__Auth__Jwt__SigningKey"] = SigningKey },
            });
        await Api.WaitReadyAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        Certificate.Dispose();
        _data.Dispose();
    }
}
