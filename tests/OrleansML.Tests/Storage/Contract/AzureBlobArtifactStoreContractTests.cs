using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OrleansML.Storage;
using OrleansML.Storage.AzureBlob;
using OrleansML.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansML.Tests.Storage.Contract;

/// <summary>The contract against Azurite's blob service, plus what only a container store can get wrong.</summary>
[Collection(Name)]
public sealed class AzureBlobArtifactStoreContractTests(AzureBlobArtifactStoreContractTests.Container container, ITestOutputHelper output)
    : ArtifactStoreContract(output), IClassFixture<AzureBlobArtifactStoreContractTests.Container>
{
    protected override IArtifactStore Store => container.Small;

    protected override IArtifactStore LargeStore => container.Large;

    protected override async Task AssertNoLeftoversAsync(string key)
    {
        // Uncommitted blocks are invisible and the service discards them; what must not exist is a committed blob.
        var blob = new BlobContainerClient(container.Server.ConnectionString, Container.Name).GetBlockBlobClient($"small/{key}");
        Assert.False(await blob.ExistsAsync());
    }

    [Fact]
    public async Task Check_names_the_store_the_container_and_the_operation_when_the_container_does_not_exist()
    {
        var store = AzureBlobArtifactStore.Connect(container.Server.Options("no-such-container"));

        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());

        Assert.Contains("Azure Blob artifact store", failure.Message);
        Assert.Contains("'no-such-container'", failure.Message);
        Assert.Contains("readiness probe", failure.Message);
        Assert.Contains("does not exist", failure.Message);
    }

    [Fact]
    public async Task Check_says_access_is_denied_when_the_account_key_is_wrong()
    {
        var options = container.Server.Options(Container.Name);
        options.ConnectionString = container.Server.ConnectionStringWith(Convert.ToBase64String(new byte[64]));
        var store = AzureBlobArtifactStore.Connect(options);

        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());

        Assert.Contains($"'{Container.Name}'", failure.Message);
        Assert.Contains("access denied", failure.Message);
    }

    [Fact]
    public async Task Large_writes_are_committed_as_staged_blocks_of_the_block_size()
    {
        var key = Key("blocks");
        await Store.WriteAsync(key, new PatternStream(5 * MiB + 1, seed: 13));

        var blob = new BlobContainerClient(container.Server.ConnectionString, Container.Name).GetBlockBlobClient($"small/{key}");
        var blocks = (await blob.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.ToArray();
        Assert.Equal(6, blocks.Length);
        Assert.All(blocks[..^1], b => Assert.Equal(MiB, b.SizeLong));
    }

    /// <summary>Azurite on a free port with one container, and stores on it with test-sized and default blocks.</summary>
    public sealed class Container : IAsyncLifetime
    {
        public const string Name = "orleansml-contract";

        public AzuriteServer Server { get; } = new();

        public AzureBlobArtifactStore Small { get; private set; } = null!;

        public AzureBlobArtifactStore Large { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            await new BlobContainerClient(Server.ConnectionString, Name).CreateAsync();
            var small = Server.Options(Name, "small");
            small.BlockSize = MiB;
            Small = AzureBlobArtifactStore.Connect(small);
            Large = AzureBlobArtifactStore.Connect(Server.Options(Name, "large"));
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }
}
