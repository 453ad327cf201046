using System.Net;
using System.Text.Json;
using Amazon.S3.Model;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;
using static OrleansML.Tests.Repository.RepositoryApiFixture;

namespace OrleansML.Tests.Repository;

/// <summary>An s3:// repository: a prefix of a bucket on moto's S3 server, watched by the embedded API.</summary>
public sealed class S3RepositoryTests : IAsyncLifetime
{
    private const string Bucket = "orleansml-repository";

    private readonly MotoServer _moto = new();
    private readonly TempDirectory _data = new();
    private ApiFactory? _factory;

    public async Task InitializeAsync()
    {
        await _moto.InitializeAsync();
        using var s3 = _moto.Client();
        await s3.PutBucketAsync(Bucket);
    }

    [Fact]
    public async Task A_version_under_the_bucket_prefix_is_served_and_objects_outside_it_are_not_read()
    {
        using (var s3 = _moto.Client())
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "prod/s3-l1000/1/model.pt", FilePath = Fixtures.L1000 });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "prod/s3-l1000/config.json", ContentBody = """{"labels": {"stable": 1}}""" });
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "staging/s3-other/1/model.pt", FilePath = Fixtures.L1000 });
        }

        _factory = new ApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["OrleansML:Repository:Url"] = $"s3://{Bucket}/prod",
            ["OrleansML:Repository:PollInterval"] = "00:00:01",
            ["OrleansML:Repository:S3:ServiceUrl"] = _moto.ServiceUrl,
            ["OrleansML:Repository:S3:Region"] = "us-east-1",
            ["OrleansML:Repository:S3:ForcePathStyle"] = "true",
            ["OrleansML:Repository:S3:AccessKey"] = "testing",
            ["OrleansML:Repository:S3:SecretKey"] = "testing",
        });
        var client = _factory.CreateClient();

        var status = (await Poll.UntilAsync(
            async () => new Box(await ReadJsonAsync(await client.GetAsync("/api/repository"))),
            s => StateOf(s.Json, "s3-l1000", 1) == "Imported", _ => false, TimeSpan.FromMinutes(1), s => s.Json.GetRawText())).Json;

        Assert.Equal($"s3://{Bucket}/prod", status.GetProperty("url").GetString());
        Assert.Equal(["s3-l1000"], status.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Empty(status.GetProperty("problems").EnumerateArray());
        var prediction = await ReadJsonAsync(await client.PostAsync("/api/models/s3-l1000/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(1, prediction.GetProperty("version").GetInt32());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, prediction.GetProperty("outputs")[0].EnumerateArray().Select(e => e.GetDouble()).ToArray());
        var model = await ReadJsonAsync(await client.GetAsync("/api/models/s3-l1000"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Fixtures.L1000))),
            model.GetProperty("versions")[0].GetProperty("sha256").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/models/s3-other")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _moto.DisposeAsync();
        _data.Dispose();
    }

    private sealed record Box(JsonElement Json);
}
