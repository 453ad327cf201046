using OrleansML.Storage.AzureBlob;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// Azurite's blob service (Microsoft's Azure Storage emulator, from npm) on a free loopback port with a throwaway
/// folder; stopped (and the folder deleted) on dispose. tests/run-all.sh installs it when it is missing.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TempDirectory _folder = new();
    private EmulatorProcess? _process;

    public int Port { get; } = FreePort.Next();

    public string ConnectionString => ConnectionStringWith(AccountKey);

    public async Task InitializeAsync() =>
        _process = await EmulatorProcess.StartAsync(
            "azurite-blob",
            ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", _folder.Path, "--skipApiVersionCheck", "--loose", "--silent"],
            new Uri($"http://127.0.0.1:{Port}/devstoreaccount1?comp=list"),
            "run tests/run-all.sh, or npm install -g azurite.");

    public string ConnectionStringWith(string accountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={accountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public AzureBlobStoreOptions Options(string container, string prefix = "") =>
        new() { ConnectionString = ConnectionString, Container = container, Prefix = prefix };

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _folder.Dispose();
    }
}
