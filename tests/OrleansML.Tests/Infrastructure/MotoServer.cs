using Amazon.Runtime;
using Amazon.S3;
using OrleansML.Storage.S3;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// moto's S3 server (<c>python3 -m moto.server</c>) on a free loopback port, holding everything in its memory;
/// stopped on dispose. tests/run-all.sh installs moto when it is missing.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private EmulatorProcess? _process;

    public int Port { get; } = FreePort.Next();

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync() =>
        _process = await EmulatorProcess.StartAsync(
            "python3", ["-m", "moto.server", "-p", Port.ToString(), "-H", "127.0.0.1"], new Uri($"{ServiceUrl}/"),
            "run tests/run-all.sh, or pip install 'moto[server]'.");

    /// <summary>Options for a bucket on this server, with moto's placeholder credentials.</summary>
    public S3StoreOptions Options(string bucket, string prefix = "") => new()
    {
        ServiceUrl = ServiceUrl, Region = "us-east-1", ForcePathStyle = true, Bucket = bucket, Prefix = prefix,
        AccessKey = "testing", SecretKey = "testing",
    };

    /// <summary>A client of this server, for what the store does not do (creating buckets, listing uploads).</summary>
    public AmazonS3Client Client() => new(new BasicAWSCredentials("testing", "testing"),
        new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
