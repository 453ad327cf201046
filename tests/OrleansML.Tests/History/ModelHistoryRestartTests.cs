using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.History.HistoryHttp;

namespace OrleansML.Tests.History;

public sealed class ModelHistoryRestartTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task After_moving_stable_from_v1_to_v2_at_a_time_between_answers_v1_and_both_survive_a_restart()
    {
        DateTimeOffset between;
        await using (var first = new ApiFactory(_data.Path))
        {
            var client = first.CreateClient();
            between = await MoveStableFromV1ToV2Async(client, "history-restart");

            AssertMoves(await HistoryAsync(client, "history-restart"));
            Assert.Equal(1, Stable(await ModelAtAsync(client, "history-restart", between)));
            Assert.Equal(2, Stable(await ModelAtAsync(client, "history-restart", DateTimeOffset.UtcNow)));
        }

        await using var second = new ApiFactory(_data.Path);
        var restarted = second.CreateClient();

        AssertMoves(await HistoryAsync(restarted, "history-restart"));
        Assert.Equal(1, Stable(await ModelAtAsync(restarted, "history-restart", between)));
        Assert.Equal(2, Stable(await ModelAtAsync(restarted, "history-restart", DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task A_history_of_several_chunks_pages_and_answers_at_across_them_and_grows_after_a_restart()
    {
        const string model = "history-long";
        const int moves = 70;
        var after = new DateTimeOffset[moves + 1];
        await using (var first = new ApiFactory(_data.Path))
        {
            var client = first.CreateClient();
            after[1] = await MoveStableFromV1ToV2Async(client, model);
            for (var move = 3; move <= moves; move++)
            {
                await SetLabelAsync(client, model, "stable", StableAfter(move));
                after[move] = DateTimeOffset.UtcNow;
            }

            await AssertLongHistoryAsync(client, model, after, total: moves + 2);
        }

        await using var second = new ApiFactory(_data.Path);
        var restarted = second.CreateClient();
        await AssertLongHistoryAsync(restarted, model, after, total: moves + 2);

        await SetLabelAsync(restarted, model, "stable", 1);
        var newest = (await HistoryAsync(restarted, model, "?pageSize=1")).GetProperty("entries")[0];
        Assert.Equal(moves + 2, newest.GetProperty("sequence").GetInt64());
        Assert.Equal(["label stable: 2 → 1"], Changes(newest));
    }

    [Fact]
    public async Task When_the_history_cannot_be_stored_the_change_stands_and_a_warning_names_it()
    {
        const string model = "history-unwritable";
        // A folder where the first chunk's file would go: the history's write fails, the model's own state does not.
        var key = Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(model));
        Directory.CreateDirectory(Path.Combine(_data.Path, "grains", "modelhistory", $"{key}.history-0.bin"));
        var log = new CapturedLog();
        await using var api = new ApiFactory(_data.Path).WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        var client = api.CreateClient();

        var upload = await OrleansML.Tests.Api.ApiFixture.UploadAsync(client, model, Fixtures.L1000);

        Assert.Equal(System.Net.HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(1, (await OrleansML.Tests.Api.ApiFixture.ReadJsonAsync(await client.GetAsync($"/api/models/{model}"))).GetProperty("versions").GetArrayLength());
        Assert.Equal(0, (await HistoryAsync(client, model)).GetProperty("total").GetInt64());
        Assert.Contains(log.Entries, e => e.StartsWith("Warning ", StringComparison.Ordinal)
            && e.Contains($"Model {model} revision 1 by anonymous is committed, but its history entry could not be stored: model created; version 1 added", StringComparison.Ordinal));
    }

    /// <summary>Move 1 of stable points it at v1, move 2 at v2, and so on alternately.</summary>
    private static int StableAfter(int move) => move % 2 == 1 ? 1 : 2;

    private static async Task AssertLongHistoryAsync(HttpClient client, string model, DateTimeOffset[] after, int total)
    {
        var all = await HistoryAsync(client, model, "?pageSize=200");
        var across = await HistoryAsync(client, model, "?pageSize=25&page=2");

        Assert.Equal(total, all.GetProperty("total").GetInt64());
        Assert.Equal(Enumerable.Range(0, total).Reverse().Select(i => (long)i), all.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(Enumerable.Range(total - 50, 25).Reverse().Select(i => (long)i), across.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(["label stable: 2 → 1"], Changes(all.GetProperty("entries")[total - 33]));
        // Move n is entry n + 1: times in each chunk of 32 entries, and on both sides of each boundary.
        foreach (var move in new[] { 1, 29, 30, 31, 61, 62, 63, after.Length - 1 })
        {
            var expected = StableAfter(move);
            Assert.True(expected == Stable(await ModelAtAsync(client, model, after[move])), $"stable at the time after move {move}");
        }
    }

    private static void AssertMoves(System.Text.Json.JsonElement history)
    {
        // The open embedded API has no credentials: its callers are anonymous.
        Assert.Equal(
            [
                ("anonymous", "label stable: 1 → 2"),
                ("anonymous", "label stable → 1"),
                ("anonymous", "version 2 added"),
                ("anonymous", "model created; version 1 added"),
            ],
            Lines(history));
        Assert.Equal(4, history.GetProperty("total").GetInt64());
    }

    public void Dispose() => _data.Dispose();
}
