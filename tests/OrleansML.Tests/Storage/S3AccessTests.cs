using Amazon.S3.Model;
using OrleansML.Storage;
using OrleansML.Storage.S3;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Storage;

/// <summary>
/// The S3 store against a moto server that checks every request's signature and IAM policy: a bucket the
/// credentials may not use, a key that does not exist, and a key revoked while a multipart upload is in flight.
/// </summary>
public sealed class S3AccessTests(S3AccessTests.Iam moto) : IClassFixture<S3AccessTests.Iam>
{
    private const int MiB = 1 << 20;

    [Fact]
    public async Task Check_on_a_bucket_the_credentials_may_not_use_says_access_denied_naming_the_store_the_bucket_and_the_operation()
    {
        using var store = S3ArtifactStore.Connect(moto.Server.Options(Iam.Denied, key: moto.Writer));

        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());

        Assert.Contains("S3 artifact store", failure.Message);
        Assert.Contains($"bucket '{Iam.Denied}'", failure.Message);
        Assert.Contains("readiness probe", failure.Message);
        Assert.Contains("access denied (AccessDenied)", failure.Message);
        await AssertEmptyAsync(Iam.Denied);
    }

    [Fact]
    public async Task A_write_to_a_denied_bucket_fails_naming_the_key_and_stores_nothing_while_the_allowed_bucket_works()
    {
        using var denied = S3ArtifactStore.Connect(moto.Server.Options(Iam.Denied, key: moto.Writer));
        using var allowed = S3ArtifactStore.Connect(moto.Server.Options(Iam.Allowed, "write", moto.Writer));

        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => denied.WriteAsync("models/m/1/artifact", new PatternStream(MiB, seed: 1)));
        await allowed.WriteAsync("models/m/1/artifact", new PatternStream(MiB, seed: 1));

        Assert.Contains($"write of 'models/m/1/artifact' in bucket '{Iam.Denied}'", failure.Message);
        Assert.Contains("access denied", failure.Message);
        await AssertEmptyAsync(Iam.Denied);
        Assert.True(await allowed.ExistsAsync("models/m/1/artifact"));
    }

    [Fact]
    public async Task An_access_key_that_does_not_exist_is_denied_on_check_and_on_read()
    {
        using var store = S3ArtifactStore.Connect(moto.Server.Options(Iam.Allowed, key: new MotoAccessKey("nobody", "AKIANOSUCHKEY0000000", "wrong")));

        var check = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());
        var read = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.OpenReadAsync("models/m/1/artifact"));

        Assert.Contains($"readiness probe (PutObject and DeleteObject of a probe object) in bucket '{Iam.Allowed}'", check.Message);
        Assert.Contains("access denied (InvalidAccessKeyId)", check.Message);
        Assert.Contains("read of 'models/m/1/artifact'", read.Message);
        Assert.Contains("access denied (InvalidAccessKeyId)", read.Message);
    }

    [Fact]
    public async Task Credentials_revoked_mid_multipart_upload_fail_the_write_leave_no_object_and_say_the_parts_were_not_aborted()
    {
        // The store's own user, so that revoking its key touches no other test's.
        var key = moto.Uploader;
        var options = moto.Server.Options(Iam.Allowed, "revoked", key);
        options.PartSize = S3StoreOptions.MinPartSize;
        using var store = S3ArtifactStore.Connect(options);
        using var content = new GatedStream(new PatternStream(4L * S3StoreOptions.MinPartSize, seed: 2), gateAt: 2L * S3StoreOptions.MinPartSize);

        // Reading past two parts means the first part was sent (the store holds two parts at most): the upload is in flight.
        var write = store.WriteAsync("models/m/1/artifact", content);
        await content.Reached.WaitAsync(TimeSpan.FromMinutes(1));
        await moto.Server.DeleteAccessKeyAsync(key);
        content.Open();
        var failure = await Assert.ThrowsAsync<ArtifactStoreException>(() => write);

        Assert.Contains($"write of 'models/m/1/artifact' in bucket '{Iam.Allowed}'", failure.Message);
        Assert.Contains("access denied (InvalidAccessKeyId)", failure.Message);
        using var admin = moto.Server.Client(moto.Administrator);
        // Prefixes without a '/': moto's signature check encodes one in a query differently from the SDK.
        var listed = await admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Iam.Allowed, Prefix = "revoked" });
        Assert.Empty(listed.S3Objects ?? []);
        // The revoked key cannot abort its own upload either: the error says so, and the parts are there, invisible.
        var uploads = (await admin.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Iam.Allowed, Prefix = "revoked" })).MultipartUploads ?? [];
        var upload = Assert.Single(uploads);
        Assert.Contains($"aborting its multipart upload '{upload.UploadId}' failed too (InvalidAccessKeyId)", failure.Message);
        Assert.Contains("AbortIncompleteMultipartUpload", failure.Message);
        await admin.AbortMultipartUploadAsync(Iam.Allowed, upload.Key, upload.UploadId);
    }

    private async Task AssertEmptyAsync(string bucket)
    {
        using var admin = moto.Server.Client(moto.Administrator);
        Assert.Empty((await admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []);
        Assert.Empty((await admin.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket })).MultipartUploads ?? []);
    }

    /// <summary>
    /// moto with two buckets and three IAM users, authentication on: a writer allowed only the first bucket, an
    /// uploader allowed the same (its key is revoked by a test), and an administrator for the tests' own inspection.
    /// </summary>
    public sealed class Iam : IAsyncLifetime
    {
        public const string Allowed = "orleansml-allowed";
        public const string Denied = "orleansml-denied";

        public MotoServer Server { get; } = new();

        public MotoAccessKey Writer { get; private set; } = null!;

        public MotoAccessKey Uploader { get; private set; } = null!;

        public MotoAccessKey Administrator { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Server.InitializeAsync();
            using (var s3 = Server.Client())
            {
                await s3.PutBucketAsync(Allowed);
                await s3.PutBucketAsync(Denied);
            }

            Writer = await Server.CreateUserAsync("writer", MotoIam.S3PolicyFor(Allowed));
            Uploader = await Server.CreateUserAsync("uploader", MotoIam.S3PolicyFor(Allowed));
            Administrator = await Server.CreateUserAsync("administrator", MotoIam.AdministratorPolicy);
            await Server.RequireAuthenticationAsync(true);
        }

        public Task DisposeAsync() => Server.DisposeAsync();
    }
}
