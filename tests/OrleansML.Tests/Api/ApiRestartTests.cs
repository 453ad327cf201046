using System.Net;
using OrleansML.Tests.Infrastructure;
using static OrleansML.Tests.Api.ApiFixture;

namespace OrleansML.Tests.Api;

public sealed class ApiRestartTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Models_versions_and_labels_survive_a_restart_and_predict_answers_with_the_labelled_version()
    {
        await using (var first = new ApiFactory(_data.Path))
        {
            var client = first.CreateClient();
            Assert.Equal(HttpStatusCode.Created, (await UploadAsync(client, "restart-l1000", Fixtures.L1000)).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await UploadAsync(client, "restart-l1000", Fixtures.L1000)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/models/restart-l1000/labels/stable", Json("""{"version":1}"""))).StatusCode);
        }

        await using var second = new ApiFactory(_data.Path);
        var restarted = second.CreateClient();

        var list = await ReadJsonAsync(await restarted.GetAsync("/api/models"));
        var model = list.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "restart-l1000");
        Assert.Equal(2, model.GetProperty("versions").GetInt32());
        Assert.Equal(1, model.GetProperty("labels").GetProperty("stable").GetInt32());

        var prediction = await ReadJsonAsync(await restarted.PostAsync("/api/models/restart-l1000/predict", Json($$"""{"inputs": {{Ones(1000)}}}""")));
        Assert.Equal(1, prediction.GetProperty("version").GetInt32());
        Fixtures.AssertClose(Fixtures.L1000OnesOutput, Doubles(prediction.GetProperty("outputs")[0]));
    }

    public void Dispose() => _data.Dispose();
}
