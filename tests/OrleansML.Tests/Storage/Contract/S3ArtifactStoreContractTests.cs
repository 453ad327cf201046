using Amazon.S3.Model;
using OrleansML.Storage;
using OrleansML.Storage.S3;
using OrleansML.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansML.Tests.Storage.Contract;

/// <summary>The contract against moto's S3 server, plus what only a bucket store can get wrong.</summary>
[Collection(Name)]
public sealed class S3ArtifactStoreContractTests(S3ArtifactStoreContractTests.Bucket bucket, ITestOutputHelper output)
    : ArtifactStoreContract(output), IClassFixture<S3ArtifactStoreContractTests.Bucket>
{
    protected override IArtifactStore Store => bucket.Small;

    protected override IArtifactStore LargeStore => bucket.Large;

    /// <summary>
    /// 512 MiB, not 1 GiB: moto is a Python server that takes 70-100 s to take in 1 GiB on a two-core machine (the
    /// SDK side is not the cost: the same code streams 1 GiB through Azurite in about 30 s). 512 MiB still breaks
    /// the 200 MiB bound more than twice over if a write or a read held the artifact.
    /// </summary>
    protected override long LargeArtifactBytes => 512L * MiB;

    protected override async Task AssertNoLeftoversAsync(string key)
    {
        using var client = bucket.Server.Client();
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket.Name, Prefix = $"small/{key}" });
        Assert.Empty(uploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task Check_names_the_store_the_bucket_and_the_operation_when_the_bucket_does_not_exist()
    {
        using var store = S3ArtifactStore.Connect(bucket.Server.Options("no-such-bucket"));

        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());

        Assert.Contains("S3 artifact store", failure.Message);
        Assert.Contains("'no-such-bucket'", failure.Message);
        Assert.Contains("readiness probe", failure.Message);
        Assert.Contains("does not exist", failure.Message);
    }

    [Fact]
    public async Task A_write_to_a_bucket_that_does_not_exist_names_the_bucket()
    {
        using var store = S3ArtifactStore.Connect(bucket.Server.Options("no-such-bucket"));

        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.WriteAsync("models/m/1/artifact", new PatternStream(MiB, seed: 1)));

        Assert.Contains("'no-such-bucket'", failure.Message);
        Assert.Contains("write of 'models/m/1/artifact'", failure.Message);
    }

    [Fact]
    public async Task An_artifact_over_the_copy_threshold_moves_by_multipart_copy()
    {
        var options = bucket.Server.Options(Bucket.Name, "copy");
        options.PartSize = S3StoreOptions.MinPartSize;
        options.MultipartCopyThreshold = 8 * MiB;
        options.CopyPartSize = S3StoreOptions.MinPartSize;
        using var store = S3ArtifactStore.Connect(options);
        var (from, to) = (Key("staging"), Key("final"));
        using var content = new PatternStream(17 * MiB + 3, seed: 11);
        await store.WriteAsync(from, content);

        await store.MoveAsync(from, to);

        Assert.False(await store.ExistsAsync(from));
        await using var read = await store.OpenReadAsync(to);
        Assert.Equal(content.Sha256, await System.Security.Cryptography.SHA256.HashDataAsync(read!));
    }

    [Fact]
    public async Task Keys_live_under_the_prefix()
    {
        var key = Key("artifact");
        await Store.WriteAsync(key, new PatternStream(10, seed: 12));

        using var client = bucket.Server.Client();
        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket.Name, Prefix = $"small/{key}" });
        Assert.Equal($"small/{key}", Assert.Single(listed.S3Objects ?? []).Key);
    }

    /// <summary>moto on a free port with one bucket, and stores on it with test-sized and default parts.</summary>
    public sealed class Bucket : IAsyncLifetime
    {
        public const string Name = "orleansml-contract";

        public MotoServer Server { get; } = new();

        public S3ArtifactStore Small { get; private set; } = null!;

        public S3ArtifactStore Large { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            using (var client = Server.Client())
            {
                await client.PutBucketAsync(Name);
            }

            var small = Server.Options(Name, "small");
            small.PartSize = S3StoreOptions.MinPartSize;
            Small = S3ArtifactStore.Connect(small);
            Large = S3ArtifactStore.Connect(Server.Options(Name, "large/"));
        }

        public async Task DisposeAsync()
        {
            Small?.Dispose();
            Large?.Dispose();
            await Server.DisposeAsync();
        }
    }
}
