using Amazon.S3.Model;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.ClusterMode;

/// <summary>
/// The process cluster with its bytes in S3 (moto): model artifacts under <c>artifacts/</c> and datasets under
/// <c>datasets/</c> of one bucket, and a watched model repository under <c>repository/</c> of the same bucket, holding
/// <see cref="RepositoryModel"/> version 1 when the silos start. Redis keeps only clustering, grain state and reminders.
/// Every process gets the settings as a deployment passes them: environment variables.
/// </summary>
public sealed class S3ClusterFixture : ProcessClusterFixture
{
    public const string Bucket = "orleansml-cluster";

    public const string RepositoryModel = "s3-repo";

    private readonly Dictionary<string, string> _environment = [];

    public MotoServer Moto { get; } = new();

    protected override IReadOnlyDictionary<string, string> ProcessEnvironment => _environment;

    /// <summary>Puts a model file into the watched repository as <c>{model}/{version}/model.pt</c>.</summary>
    public async Task AddRepositoryVersionAsync(string model, int version, string file)
    {
        using var s3 = Moto.Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = $"repository/{model}/{version}/model.pt", FilePath = file });
    }

    /// <summary>The keys of every object under <paramref name="prefix"/> with their sizes.</summary>
    public async Task<IReadOnlyList<S3Object>> ListAsync(string prefix)
    {
        using var s3 = Moto.Client();
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return objects;
    }

    /// <summary>The bytes of one object.</summary>
    public async Task<byte[]> ReadAsync(string key)
    {
        using var s3 = Moto.Client();
        using var response = await s3.GetObjectAsync(Bucket, key);
        using var bytes = new MemoryStream();
        await response.ResponseStream.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    public override async Task InitializeAsync()
    {
        try
        {
            await Moto.InitializeAsync();
            using var s3 = Moto.Client();
            await s3.PutBucketAsync(Bucket);
            await AddRepositoryVersionAsync(RepositoryModel, 1, Fixtures.L1000);
        }
        catch
        {
            await Moto.DisposeAsync();
            throw;
        }

        foreach (var (section, prefix) in new[] { ("Storage__Artifacts", "artifacts"), ("Storage__Datasets", "datasets") })
        {
            _environment[$"OrleansML__{section}__Kind"] = "S3";
            _environment[$"OrleansML__{section}__S3__Bucket"] = Bucket;
            _environment[$"OrleansML__{section}__S3__Prefix"] = prefix;
            AddConnection($"OrleansML__{section}__S3__");
        }

        _environment["OrleansML__Repository__Url"] = $"s3://{Bucket}/repository";
        _environment["OrleansML__Repository__PollInterval"] = "00:00:01";
        AddConnection("OrleansML__Repository__S3__");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Moto.DisposeAsync();
    }

    private void AddConnection(string section)
    {
        _environment[$"{section}ServiceUrl"] = Moto.ServiceUrl;
        _environment[$"{section}Region"] = "us-east-1";
        _environment[$"{section}ForcePathStyle"] = "true";
        _environment[$"{section}AccessKey"] = "testing";
        _environment[$"{section}SecretKey"] = "testing";
    }
}

/// <summary>The S3-backed cluster; not run in parallel with others: it kills and restarts silos.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class S3ClusterCollection : ICollectionFixture<S3ClusterFixture>
{
    public const string Name = "multi-process cluster on S3";
}
