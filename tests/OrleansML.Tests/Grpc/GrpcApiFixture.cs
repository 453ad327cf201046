using Grpc.Net.Client;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Grpc;

/// <summary>
/// One embedded API whose gRPC services are called over the in-memory test server (HTTP/2 through its handler),
/// with small limits, and the fixture models uploaded once: the 1000-100-10 and scripted TorchScript fixtures and
/// a two-input, two-output module.
/// </summary>
public sealed class GrpcApiFixture : IAsyncLifetime
{
    public const long MaxPredictBytes = 256 * 1024;
    public const long MaxPredictElements = 50_000;
    public const string L1000 = "grpc-l1000";
    public const string Scripted = "grpc-scripted";
    public const string Pair = "grpc-pair";

    public const string PairSignature = """{"inputs":[{"name":"a","dataType":"FP32","shape":[-1,6]},{"name":"b","dataType":"FP32","shape":[-1,6]}],"outputs":[{"name":"sum","dataType":"FP32","shape":[-1,6]},{"name":"product","dataType":"FP32","shape":[-1,6]}]}""";

    private readonly TempDirectory _data = new();
    private ApiFactory _api = null!;

    public HttpClient Client { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _api = new ApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["OrleansML:Limits:MaxPredictBytes"] = MaxPredictBytes.ToString(),
            ["OrleansML:Limits:MaxPredictElements"] = MaxPredictElements.ToString(),
        });
        Client = _api.CreateClient();
        Channel = GrpcChannel.ForAddress(_api.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _api.Server.CreateHandler() });
        await Upload(L1000, File.ReadAllBytes(Fixtures.L1000));
        await Upload(Scripted, File.ReadAllBytes(Fixtures.Scripted));
        await Upload(Pair, ScriptedModels.SumAndProduct, PairSignature);
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        Client.Dispose();
        await _api.DisposeAsync();
        _data.Dispose();
    }

    private async Task Upload(string model, byte[] artifact, string? signature = null)
    {
        var response = await ApiFixture.UploadAsync(Client, model, artifact, signature);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
