using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;
using static OrleansML.Tests.Repository.RepositoryApiFixture;

namespace OrleansML.Tests.Repository;

/// <summary>The poller's memory is grain state: an API started again over the same data imports nothing twice.</summary>
public sealed class RepositoryRestartTests : IDisposable
{
    private readonly TempDirectory _data = new();
    private readonly TempDirectory _repository = new();

    [Fact]
    public async Task A_restarted_platform_imports_nothing_twice_and_still_reports_what_it_imported()
    {
        var folder = new RepositoryFolder(_repository.Path);
        folder.AddVersion("restart-repo", 1, "model.pt", File.ReadAllBytes(Fixtures.L1000));
        folder.AddVersion("restart-repo", 2, "model.pt", []);
        JsonElement first;
        long entries;
        await using (var api = Start())
        {
            var client = api.CreateClient();
            first = await StatusUntilAsync(client, s => StateOf(s, "restart-repo", 1) == "Imported" && StateOf(s, "restart-repo", 2) == "Failed");
            entries = (await ReadJsonAsync(await client.GetAsync("/api/models/restart-repo/history"))).GetProperty("total").GetInt64();
        }

        await using var restarted = Start();
        var again = restarted.CreateClient();
        var status = await StatusUntilAsync(again, s => s.GetProperty("polls").GetInt64() >= 3);

        Assert.Equal(Version(first, "restart-repo", 1)!.Value.GetProperty("changedAt").GetString(), Version(status, "restart-repo", 1)!.Value.GetProperty("changedAt").GetString());
        Assert.Equal(Version(first, "restart-repo", 2)!.Value.GetProperty("changedAt").GetString(), Version(status, "restart-repo", 2)!.Value.GetProperty("changedAt").GetString());
        Assert.Equal(entries, (await ReadJsonAsync(await again.GetAsync("/api/models/restart-repo/history"))).GetProperty("total").GetInt64());
        var prediction = await ReadJsonAsync(await again.PostAsync("/api/models/restart-repo/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(1, prediction.GetProperty("version").GetInt32());
    }

    private ApiFactory Start() => new(_data.Path, settings: new Dictionary<string, string>
    {
        ["OrleansML:Repository:Url"] = new Uri(_repository.Path + "/").AbsoluteUri,
        ["OrleansML:Repository:PollInterval"] = "00:00:01",
    });

    private static async Task<JsonElement> StatusUntilAsync(HttpClient client, Func<JsonElement, bool> done) =>
        (await Poll.UntilAsync(async () => new Box(await ReadJsonAsync(await client.GetAsync("/api/repository"))), b => done(b.Json), _ => false,
            TimeSpan.FromMinutes(1), b => b.Json.GetRawText())).Json;

    public void Dispose()
    {
        _data.Dispose();
        _repository.Dispose();
    }

    private sealed record Box(JsonElement Json);
}
