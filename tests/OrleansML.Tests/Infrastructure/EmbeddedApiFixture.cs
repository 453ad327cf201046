namespace OrleansML.Tests.Infrastructure;

/// <summary>One embedded API (a single co-hosted silo) shared by the dataset, training and scoring REST tests.</summary>
public sealed class EmbeddedApiFixture : IDisposable
{
    private readonly TempDirectory _data = new();

    public EmbeddedApiFixture()
    {
        Factory = new ApiFactory(_data.Path);
        Client = Factory.CreateClient();
    }

    public ApiFactory Factory { get; }

    public HttpClient Client { get; }

    public string DataDirectory => _data.Path;

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
        _data.Dispose();
    }
}
