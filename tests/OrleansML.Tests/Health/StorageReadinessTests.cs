using System.Net;
using Amazon.S3.Model;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrleansML.Tests.Infrastructure;
using OrleansML.Tests.Storage;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Health;

/// <summary>
/// The embedded API with its artifact store in an S3 bucket its credentials may not use (moto with IAM checks on) or
/// an Azure container with a wrong account key (Azurite): the process starts, readiness fails with the store's reason in the log, and a request that needs the store
/// answers 503 naming it and leaves nothing behind.
/// </summary>
public sealed class StorageReadinessTests(S3AccessTests.Iam moto) : IClassFixture<S3AccessTests.Iam>, IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task An_S3_bucket_that_denies_access_fails_readiness_naming_the_store_and_an_upload_is_503_naming_it_and_creates_nothing()
    {
        await AssertRefusedAsync(new Dictionary<string, string>
        {
            ["OrleansML:Storage:Artifacts:Kind"] = "S3",
            ["OrleansML:Storage:Artifacts:S3:Bucket"] = S3AccessTests.Iam.Denied,
            ["OrleansML:Storage:Artifacts:S3:ServiceUrl"] = moto.Server.ServiceUrl,
            ["OrleansML:Storage:Artifacts:S3:Region"] = "us-east-1",
            ["OrleansML:Storage:Artifacts:S3:ForcePathStyle"] = "true",
            ["OrleansML:Storage:Artifacts:S3:AccessKey"] = moto.Writer.Id,
            ["OrleansML:Storage:Artifacts:S3:SecretKey"] = moto.Writer.Secret,
        }, "S3 artifact store", $"in bucket '{S3AccessTests.Iam.Denied}'");

        using var admin = moto.Server.Client(moto.Administrator);
        Assert.Empty((await admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3AccessTests.Iam.Denied })).S3Objects ?? []);
        Assert.Empty((await admin.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = S3AccessTests.Iam.Denied })).MultipartUploads ?? []);
    }

    [Fact]
    public async Task An_Azure_container_with_a_wrong_account_key_fails_readiness_naming_the_store_and_an_upload_is_503_naming_it_and_creates_nothing()
    {
        var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        try
        {
            var container = new BlobContainerClient(azurite.ConnectionString, "orleansml-denied");
            await container.CreateAsync();

            await AssertRefusedAsync(new Dictionary<string, string>
            {
                ["OrleansML:Storage:Artifacts:Kind"] = "AzureBlob",
                ["OrleansML:Storage:Artifacts:AzureBlob:Container"] = "orleansml-denied",
                ["OrleansML:Storage:Artifacts:AzureBlob:ConnectionString"] = azurite.ConnectionStringWith(Convert.ToBase64String(new byte[64])),
            }, "Azure Blob artifact store", "in container 'orleansml-denied'");

            Assert.Empty(await container.GetBlobsAsync().ToListAsync());
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_S3_bucket_that_does_not_exist_fails_readiness_and_an_upload_is_503_saying_so()
    {
        await AssertRefusedAsync(new Dictionary<string, string>
        {
            ["OrleansML:Storage:Artifacts:Kind"] = "S3",
            ["OrleansML:Storage:Artifacts:S3:Bucket"] = "orleansml-no-such-bucket",
            ["OrleansML:Storage:Artifacts:S3:ServiceUrl"] = moto.Server.ServiceUrl,
            ["OrleansML:Storage:Artifacts:S3:Region"] = "us-east-1",
            ["OrleansML:Storage:Artifacts:S3:ForcePathStyle"] = "true",
            ["OrleansML:Storage:Artifacts:S3:AccessKey"] = moto.Administrator.Id,
            ["OrleansML:Storage:Artifacts:S3:SecretKey"] = moto.Administrator.Secret,
        }, "S3 artifact store", "in bucket 'orleansml-no-such-bucket'", "the bucket does not exist");
    }

    private async Task AssertRefusedAsync(Dictionary<string, string> settings, string store, string where, string reason = "access denied")
    {
        var log = new CapturedLog();
        await using var api = new ApiFactory(_data.Path, settings: settings);
        await using var logged = api.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        var client = logged.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v2/health/ready")).StatusCode);
        Assert.Contains(log.Entries, e => e.StartsWith("Error", StringComparison.Ordinal)
            && e.Contains($"{store}: readiness probe") && e.Contains(where) && e.Contains(reason));

        var upload = await UploadAsync(client, "denied-store", File.ReadAllBytes(Fixtures.L1000));

        var problem = await upload.Content.ReadAsStringAsync();
        Assert.True(upload.StatusCode == HttpStatusCode.ServiceUnavailable, $"{upload.StatusCode} {problem}");
        Assert.StartsWith("application/problem+json", upload.Content.Headers.ContentType!.ToString());
        Assert.Contains($"{store}: write of 'staging/", problem);
        Assert.Contains(where, problem);
        Assert.Contains(reason, problem);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/models/denied-store")).StatusCode);
    }

    public void Dispose() => _data.Dispose();
}
