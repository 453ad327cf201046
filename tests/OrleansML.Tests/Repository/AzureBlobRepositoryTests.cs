using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;
using static OrleansML.Tests.Repository.RepositoryApiFixture;

namespace OrleansML.Tests.Repository;

/// <summary>An az:// repository: a prefix of a container on Azurite's blob service, watched by the embedded API.</summary>
public sealed class AzureBlobRepositoryTests : IAsyncLifetime
{
    private const string Container = "orleansml-repository";

    private readonly AzuriteServer _azurite = new();
    private readonly TempDirectory _data = new();
    private ApiFactory? _factory;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        await new BlobContainerClient(_azurite.ConnectionString, Container).CreateAsync();
    }

    [Fact]
    public async Task Two_versions_under_the_container_prefix_are_served_a_broken_one_is_FAILED_with_its_reason_and_blobs_outside_it_are_not_read()
    {
        var container = new BlobContainerClient(_azurite.ConnectionString, Container);
        var l1000 = await File.ReadAllBytesAsync(Fixtures.L1000);
        await container.UploadBlobAsync("prod/az-l1000/1/model.pt", BinaryData.FromBytes(l1000));
        await container.UploadBlobAsync("prod/az-l1000/2/model.pt", BinaryData.FromBytes(l1000));
        await container.UploadBlobAsync("prod/az-l1000/config.json", BinaryData.FromString("""{"labels": {"stable": 1}}"""));
        await container.UploadBlobAsync("prod/az-l1000/3/model.pt", BinaryData.FromBytes(l1000[..(l1000.Length / 2)]));
        await container.UploadBlobAsync("staging/az-other/1/model.pt", BinaryData.FromBytes(l1000));

        _factory = new ApiFactory(_data.Path, settings: new Dictionary<string, string>
        {
            ["OrleansML:Repository:Url"] = $"az://{Container}/prod",
            ["OrleansML:Repository:PollInterval"] = "00:00:01",
            ["OrleansML:Repository:AzureBlob:ConnectionString"] = _azurite.ConnectionString,
        });
        var client = _factory.CreateClient();

        var status = (await Poll.UntilAsync(
            async () => new Box(await ReadJsonAsync(await client.GetAsync("/api/repository"))),
            s => StateOf(s.Json, "az-l1000", 1) == "Imported" && StateOf(s.Json, "az-l1000", 2) == "Imported" && StateOf(s.Json, "az-l1000", 3) == "Failed",
            _ => false, TimeSpan.FromMinutes(1), s => s.Json.GetRawText())).Json;

        Assert.Equal($"az://{Container}/prod", status.GetProperty("url").GetString());
        Assert.Equal(["az-l1000"], status.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Empty(status.GetProperty("problems").EnumerateArray());
        Assert.StartsWith("model.pt: ", Version(status, "az-l1000", 3)!.Value.GetProperty("reason").GetString());
        var model = await ReadJsonAsync(await client.GetAsync("/api/models/az-l1000"));
        var versions = model.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetInt32());
        Assert.Equal("Available", versions[1].GetProperty("state").GetString());
        Assert.Equal("Available", versions[2].GetProperty("state").GetString());
        Assert.Equal("Failed", versions[3].GetProperty("state").GetString());
        Assert.Equal("repository:az-l1000/2", versions[2].GetProperty("source").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(l1000)), versions[2].GetProperty("sha256").GetString());
        var stable = await ReadJsonAsync(await client.PostAsync("/api/models/az-l1000/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(1, stable.GetProperty("version").GetInt32());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, stable.GetProperty("outputs")[0].EnumerateArray().Select(e => e.GetDouble()).ToArray());
        var second = await ReadJsonAsync(await client.PostAsync("/api/models/az-l1000/predict", Json($$"""{"inputs": {{Ones(1000)}}, "version": 2}""")));
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/models/az-other")).StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        _data.Dispose();
    }

    private sealed record Box(JsonElement Json);
}
