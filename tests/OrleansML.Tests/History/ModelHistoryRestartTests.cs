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
