using System.Net.Http.Json;
using OrleansML.Api.Security;
using OrleansML.Tests.Security;
using static OrleansML.Tests.History.HistoryHttp;

namespace OrleansML.Tests.History;

/// <summary>With credentials on, each change is recorded under the name of the credential that made it.</summary>
public sealed class ModelHistoryActorTests(SecuredApiFixture api) : IClassFixture<SecuredApiFixture>
{
    [Fact]
    public async Task The_actor_is_the_api_keys_name_or_the_tokens_subject_and_reading_needs_the_predict_scope()
    {
        var bot = api.WithToken(SecuredApiFixture.Token(Scopes.Admin, subject: "release-bot"));
        await SecuredApiFixture.EnsureAsync(bot.PutAsJsonAsync("/api/models/m/labels/canary", new { version = 1 }));

        var history = await HistoryAsync(api.WithKey(SecuredApiFixture.PredictKey), "m");

        Assert.Equal(
            [("release-bot", "label canary → 1"), ("admin", "label stable → 1"), ("admin", "model created; version 1 added")],
            Lines(history));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await api.WithKey(SecuredApiFixture.TrainKey).GetAsync("/api/models/m/history")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/models/m/history")).StatusCode);
    }
}
