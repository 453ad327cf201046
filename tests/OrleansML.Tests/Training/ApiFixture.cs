using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Training;

/// <summary>One embedded API (a single co-hosted silo) shared by the dataset and training REST tests.</summary>
public sealed class ApiFixture : IDisposable
{
    private readonly TempDirectory _data = new();

    public ApiFixture()
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
