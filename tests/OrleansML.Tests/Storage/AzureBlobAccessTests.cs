using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using OrleansML.Storage;
using OrleansML.Storage.AzureBlob;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Storage;

/// <summary>
/// The Azure Blob store on a container SAS bound to a stored access policy (Azurite checks both): the policy's expiry
/// moved into the past while a write is staging blocks is a SAS that expires mid-upload, with no waiting on a clock.
/// </summary>
public sealed class AzureBlobAccessTests : IAsyncLifetime
{
    private const string Container = "orleansml-sas";
    private const string Policy = "uploader";
    private const int MiB = 1 << 20;

    private readonly AzuriteServer _azurite = new();

    private BlobContainerClient Owner => new(_azurite.ConnectionString, Container);

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        await Owner.CreateAsync();
        await SetPolicyExpiryAsync(DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public async Task A_SAS_that_expires_between_staged_blocks_fails_the_write_naming_the_container_and_commits_no_blob()
    {
        var store = AzureBlobArtifactStore.Connect(new AzureBlobStoreOptions { ConnectionString = SasConnectionString(), Container = Container, BlockSize = MiB });
        await store.CheckAsync();
        using var content = new GatedStream(new PatternStream(4 * MiB, seed: 1), gateAt: 2 * MiB);

        // Reading past two blocks means the first was staged (the store holds two at most): the write is in flight.
        var write = store.WriteAsync("models/m/1/artifact", content);
        await content.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        await SetPolicyExpiryAsync(DateTimeOffset.UtcNow.AddHours(-1));
        content.Open();
        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => write);

        Assert.Contains($"Azure Blob artifact store: write of 'models/m/1/artifact' in container '{Container}'", failure.Message);
        Assert.Contains("access denied", failure.Message);
        Assert.False(await Owner.GetBlobClient("models/m/1/artifact").ExistsAsync());
        var check = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());
        Assert.Contains("readiness probe", check.Message);
        Assert.Contains("access denied", check.Message);
        Assert.Empty(await Owner.GetBlobsAsync().ToListAsync());
    }

    public Task DisposeAsync() => _azurite.DisposeAsync();

    private async Task SetPolicyExpiryAsync(DateTimeOffset expiresOn) =>
        await Owner.SetAccessPolicyAsync(permissions:
        [
            new BlobSignedIdentifier
            {
                Id = Policy,
                AccessPolicy = new BlobAccessPolicy { PolicyStartsOn = DateTimeOffset.UtcNow.AddHours(-2), PolicyExpiresOn = expiresOn, Permissions = "racwdl" },
            },
        ]);

    /// <summary>A connection string holding only a container SAS that takes its permissions and expiry from the stored policy.</summary>
    private string SasConnectionString()
    {
        var sas = new BlobSasBuilder { BlobContainerName = Container, Resource = "c", Identifier = Policy }
            .ToSasQueryParameters(new StorageSharedKeyCredential("devstoreaccount1", AzuriteServer.AccountKey));
        return $"BlobEndpoint=http://127.0.0.1:{_azurite.Port}/devstoreaccount1;SharedAccessSignature={sas}";
    }
}
