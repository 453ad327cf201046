using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Datasets;

/// <summary>
/// An embedded API whose silo may import from a lake folder (<c>file://</c>) and from moto's S3 server (bucket
/// <see cref="Bucket"/>), with partitions of <see cref="PartitionRows"/> rows so an import's partitions straddle
/// files and row groups.
/// </summary>
public sealed class ParquetImportFixture : IAsyncLifetime
{
    public const string Bucket = "lake";

    public const int PartitionRows = 500;

    private readonly TempDirectory _data = new();

    public TempDirectory Lake { get; } = new();

    public MotoServer S3 { get; } = new();

    public ApiFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public string DataDirectory => _data.Path;

    public async Task InitializeAsync()
    {
        await S3.InitializeAsync();
        using (var s3 = S3.Client())
        {
            await s3.PutBucketAsync(Bucket);
        }

        Factory = new ApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["OrleansML:Datasets:Import:FileRoots:0"] = Lake.Path,
            ["OrleansML:Datasets:Import:PartitionRows"] = PartitionRows.ToString(),
            ["OrleansML:Datasets:Import:S3:ServiceUrl"] = S3.ServiceUrl,
            ["OrleansML:Datasets:Import:S3:Region"] = "us-east-1",
            ["OrleansML:Datasets:Import:S3:ForcePathStyle"] = "true",
            ["OrleansML:Datasets:Import:S3:AccessKey"] = "testing",
            ["OrleansML:Datasets:Import:S3:SecretKey"] = "testing",
        });
        Client = Factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await S3.DisposeAsync();
        Lake.Dispose();
        _data.Dispose();
    }
}
