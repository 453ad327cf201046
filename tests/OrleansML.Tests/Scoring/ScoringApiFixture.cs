using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Scoring;

/// <summary>One embedded API (a single co-hosted silo) shared by the scoring REST tests.</summary>
public sealed class ScoringApiFixture : IDisposable
{
    private readonly TempDirectory _data = new();

    public ScoringApiFixture()
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
