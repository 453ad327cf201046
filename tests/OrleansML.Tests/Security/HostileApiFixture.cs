using OrleansML.Api.Security;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

/// <summary>
/// One embedded API for the hostile-input suite, with small limits so over-limit cases are cheap to send. Every
/// request of the suite goes through <see cref="Client"/>, made here once with an admin API key, so every request
/// passes authentication and reaches the validation it is meant to probe. The rate limit is off: the corpus is a
/// burst from one key by design.
/// </summary>
public sealed class HostileApiFixture : IAsyncLifetime
{
    public const long MaxUploadBytes = 2 * 1024 * 1024;
    public const long MaxPredictBytes = 256 * 1024;
    public const int MaxPredictRows = 100;
    public const long MaxPredictElements = 20_000;
    public const long MaxDatasetBytes = 1024 * 1024;

    private readonly TempDirectory _data = new();
    private readonly AdminApiKey _adminKey = new();
    private ApiFactory _api = null!;

    public HttpClient Client { get; private set; } = null!;

    public string DataDirectory => _data.Path;

    public EndpointInventory Inventory { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _api = new ApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["OrleansML:Limits:MaxUploadBytes"] = MaxUploadBytes.ToString(),
            ["OrleansML:Limits:MaxPredictBytes"] = MaxPredictBytes.ToString(),
            ["OrleansML:Limits:MaxPredictRows"] = MaxPredictRows.ToString(),
            ["OrleansML:Limits:MaxPredictElements"] = MaxPredictElements.ToString(),
            ["OrleansML:Limits:MaxDatasetBytes"] = MaxDatasetBytes.ToString(),
            ["OrleansML:RateLimiting:RequestsPerSecond"] = "0",
            ["OrleansML:Auth:ApiKeys:0:Name"] = "admin",
            ["OrleansML:Auth:ApiKeys:0:Sha256"] = ApiKeySecret.Hash(_adminKey.Key),
            ["OrleansML:Auth:ApiKeys:0:Scopes:0"] = Scopes.Admin,
        });
        Client = _adminKey.Authorize(_api.CreateClient());
        Inventory = EndpointInventory.From(_api.Services);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _api.DisposeAsync();
        _data.Dispose();
    }
}
