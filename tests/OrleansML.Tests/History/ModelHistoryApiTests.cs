using System.Net;
using OrleansML.Tests.Api;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;
using static OrleansML.Tests.History.HistoryHttp;

namespace OrleansML.Tests.History;

public sealed class ModelHistoryApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Labels_traffic_batching_deletions_and_policy_are_each_recorded_once_newest_first()
    {
        const string model = "history-changes";
        for (var i = 0; i < 3; i++)
        {
            await api.UploadOkAsync(model, Fixtures.L1000);
        }

        await SetLabelAsync(api.Client, model, "canary", 2);
        await OkAsync(api.Client.PutAsync($"/api/models/{model}/traffic", Json("""{"weights":{"canary":100}}""")));
        await OkAsync(api.Client.PutAsync($"/api/models/{model}/traffic", Json("""{"weights":{}}""")));
        await OkAsync(api.Client.PutAsync($"/api/models/{model}/batching", Json("""{"enabled":false,"maxBatchSize":8,"maxQueueDelayMs":1}""")));
        await OkAsync(api.Client.DeleteAsync($"/api/models/{model}/versions/1"));
        await OkAsync(api.Client.DeleteAsync($"/api/models/{model}/labels/canary"));
        await OkAsync(api.Client.PutAsync($"/api/models/{model}/policy", Json("""{"keepLatest":1}""")));

        var history = await HistoryAsync(api.Client, model);

        // A deletion commits twice (UNLOADING, then gone): the history has it once, as deleted.
        Assert.Equal(
            [
                "version 2 deleted; version policy keepLatest 0 → 1",
                "label canary removed",
                "version 1 deleted",
                "batching disabled: maxBatchSize 8, maxQueueDelayMs 1",
                "traffic split cleared",
                "traffic split set: canary=100",
                "label canary → 2",
                "version 3 added",
                "version 2 added",
                "model created; version 1 added",
            ],
            Lines(history).Select(l => l.Changes));
        var labelled = history.GetProperty("entries")[6];
        Assert.Empty(labelled.GetProperty("before").GetProperty("labels").EnumerateObject());
        Assert.Equal(2, labelled.GetProperty("after").GetProperty("labels").GetProperty("canary").GetInt32());
        Assert.Equal([3], history.GetProperty("entries")[0].GetProperty("after").GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Pages_run_newest_first_with_a_link_to_the_next_until_the_last()
    {
        const string model = "history-pages";
        for (var i = 0; i < 5; i++)
        {
            await api.UploadOkAsync(model, Fixtures.L1000);
        }

        var second = await HistoryAsync(api.Client, model, "?pageSize=2&page=2");
        var last = await HistoryAsync(api.Client, model, "?pageSize=2&page=3");
        var beyond = await HistoryAsync(api.Client, model, "?pageSize=2&page=4");

        Assert.Equal([2L, 1L], second.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal($"/api/models/{model}/history?pageSize=2&page=3", second.GetProperty("next").GetString());
        Assert.Equal([0L], last.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, last.GetProperty("next").ValueKind);
        Assert.Empty(beyond.GetProperty("entries").EnumerateArray());
        Assert.Equal(5, beyond.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("/history?page=0", "'page'")]
    [InlineData("/history?page=abc", "'page'")]
    [InlineData("/history?page=-1", "'page'")]
    [InlineData("/history?page=99999999999", "'page'")]
    [InlineData("/history?pageSize=0", "'pageSize'")]
    [InlineData("/history?pageSize=201", "'pageSize'")]
    [InlineData("/history?pageSize=1.5", "'pageSize'")]
    [InlineData("?at=yesterday", "'at'")]
    [InlineData("?at=", "'at'")]
    [InlineData("?at=2026-13-01T10:00:00Z", "'at'")]
    [InlineData("?at=2026-12-01T10:00:00Z&at=2026-12-02T10:00:00Z", "'at'")]
    [InlineData("?at=1764583200", "'at'")]
    public async Task A_page_or_time_that_does_not_parse_is_a_400_naming_the_parameter_and_changes_nothing(string query, string parameter)
    {
        const string model = "history-bad";
        if ((await api.Client.GetAsync($"/api/models/{model}")).StatusCode == HttpStatusCode.NotFound)
        {
            await api.UploadOkAsync(model, Fixtures.L1000);
        }

        var before = await api.Client.GetStringAsync($"/api/models/{model}");
        var historyBefore = await api.Client.GetStringAsync($"/api/models/{model}/history");

        var response = await api.Client.GetAsync($"/api/models/{model}{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, (await ReadJsonAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(before, await api.Client.GetStringAsync($"/api/models/{model}"));
        Assert.Equal(historyBefore, await api.Client.GetStringAsync($"/api/models/{model}/history"));
    }

    [Fact]
    public async Task A_model_that_does_not_exist_or_did_not_exist_yet_is_a_404_and_a_bad_name_a_400()
    {
        await api.UploadOkAsync("history-late", Fixtures.L1000);

        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/api/models/history-none/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/api/models/history-none?at=2026-12-01T10:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/api/models/history-late?at=2000-01-01T00:00:00Z")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Client.GetAsync("/api/models/bad%20name/history")).StatusCode);
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
