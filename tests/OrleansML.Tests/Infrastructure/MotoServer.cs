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

    /// <summary>Options for a bucket on this server, with moto's placeholder credentials or an IAM user's key (<see cref="MotoIam"/>).</summary>
    public S3StoreOptions Options(string bucket, string prefix = "", MotoAccessKey? key = null) => new()
    {
        ServiceUrl = ServiceUrl, Region = "us-east-1", ForcePathStyle = true, Bucket = bucket, Prefix = prefix,
        AccessKey = key?.Id ?? "testing", SecretKey = key?.Secret ?? "testing",
    };

    /// <summary>A client of this server, for what the store does not do (creating buckets, listing uploads).</summary>
    public AmazonS3Client Client(MotoAccessKey? key = null) => new(new BasicAWSCredentials(key?.Id ?? "testing", key?.Secret ?? "testing"),
        new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
