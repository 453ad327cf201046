using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansML.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OrleansML.Tests.ClusterMode;

/// <summary>
/// Three silo processes whose artifacts, datasets and watched repository live in S3 (moto) and whose Redis holds
/// only the control plane: the platform trains, serves, scores and polls as it does on Redis, through kills and a
/// full restart, without a byte of a model or a dataset in Redis.
/// </summary>
[Collection(S3ClusterCollection.Name)]
public sealed class S3ClusterTests(S3ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task With_artifacts_and_datasets_in_s3_the_cluster_trains_serves_on_every_silo_scores_survives_a_kill_and_a_restart_and_redis_holds_no_bytes()
    {
        var api = fixture.Api;
        var clock = Stopwatch.StartNew();
        await UploadAsync(api, "s3-digits-train", Fixtures.OptDigitsTrain);
        await UploadAsync(api, "s3-digits-test", Fixtures.OptDigitsTest);
        var started = await api.PostAsJsonAsync("api/training/jobs", new
        {
            model = "s3-digits", dataset = "s3-digits-train",
            architecture = new { type = "mlp", inputs = 64, hidden = new[] { 64 }, outputs = 10 },
            epochs = 5, batchSize = 64, learningRate = 0.003, optimizer = "adam", seed = 42, standardize = true,
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var trained = await PollAsync(api, started.Headers.Location!.ToString(), s => IsFinished(s), "the training job");
        Assert.True(trained.GetProperty("state").GetString() == "Succeeded", trained.GetRawText());

        var (rows, labels) = OptDigitsRows.Read(Fixtures.OptDigitsTest);
        var accuracy = await AccuracyAsync(api, rows, labels);
        output.WriteLine($"accuracy on optdigits.tes: {accuracy:P2}; uploaded and trained in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy:P2}");
        var answer = await AnswerOnEverySiloAsync(api, "s3-digits", rows[0]);

        var scoring = await api.PostAsJsonAsync("api/scoring/jobs", new { model = "s3-digits", dataset = "s3-digits-test", outputDataset = "s3-digits-scored" });
        Assert.Equal(HttpStatusCode.Accepted, scoring.StatusCode);
        var scored = await PollAsync(api, scoring.Headers.Location!.ToString(), s => IsFinished(s), "the scoring job");
        Assert.True(scored.GetProperty("state").GetString() == "Succeeded", scored.GetRawText());
        Assert.Equal(labels.Length, scored.GetProperty("rowsScored").GetInt64());

        output.WriteLine($"served on every silo and scored at {clock.Elapsed.TotalSeconds:F0} s");
        var victim = fixture.Silos.First(s => !s.HasExited);
        victim.Kill();
        fixture.Silos.Remove(victim);
        await fixture.WaitForMembershipAsync();
        AssertSame(answer, await AnswerOnEverySiloAsync(api, "s3-digits", rows[0]));
        var versions = await VersionsAsync(api, "s3-digits");
        output.WriteLine($"survived the kill at {clock.Elapsed.TotalSeconds:F0} s");

        await fixture.StopPlatformAsync();
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => fixture.StartSiloAsync()));
        await fixture.StartApiAsync();
        api = fixture.Api;
        output.WriteLine($"restarted at {clock.Elapsed.TotalSeconds:F0} s");

        Assert.Equal(versions, await VersionsAsync(api, "s3-digits"));
        AssertSame(answer, await AnswerOnEverySiloAsync(api, "s3-digits", rows[0]));
        Assert.Equal(labels.Length, (await api.GetFromJsonAsync<JsonElement>("api/datasets/s3-digits-scored")).GetProperty("rows").GetInt32());

        await AssertRedisHoldsNoArtifactOrDatasetBytesAsync();
        var objects = (await fixture.ListAsync("")).Select(o => o.Key).ToList();
        Assert.All(versions, v => Assert.Contains($"artifacts/models/s3-digits/{v.Version}/artifact", objects));
        Assert.All(new[] { "s3-digits-train", "s3-digits-test", "s3-digits-scored" },
            name => Assert.Contains(objects, key => key.StartsWith($"datasets/datasets/{name}/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Killing_the_silo_that_runs_the_repository_poller_lets_its_reminder_start_it_on_a_survivor_which_serves_a_new_bucket_version()
    {
        var api = fixture.Api;
        var status = await PollAsync(api, "api/repository",
            s => s.GetProperty("models").EnumerateArray().Any(m => m.GetProperty("name").GetString() == S3ClusterFixture.RepositoryModel
                && m.GetProperty("versions").EnumerateArray().Any(v => v.GetProperty("state").GetString() == "Imported")),
            "the repository's first version");
        var poller = status.GetProperty("silo").GetString()!;
        var victim = fixture.Silos.Single(s => !s.HasExited && poller.Contains($":{s.SiloPort}@", StringComparison.Ordinal));
        victim.Kill();
        fixture.Silos.Remove(victim);
        var killed = Stopwatch.StartNew();

        // Nothing here calls the poller (no GET /api/repository, no silo starting): only its reminder can bring it back.
        await fixture.AddRepositoryVersionAsync(S3ClusterFixture.RepositoryModel, 2, Fixtures.Scripted);
        await PollAsync(api, $"api/models/{S3ClusterFixture.RepositoryModel}",
            m => m.GetProperty("versions").EnumerateArray().Any(v => v.GetProperty("version").GetInt32() == 2
                && string.Equals(v.GetProperty("state").GetString(), "Available", StringComparison.OrdinalIgnoreCase)), "version 2 from the bucket");
        var prediction = await api.PostAsJsonAsync($"api/models/{S3ClusterFixture.RepositoryModel}/predict", new { inputs = new[] { Enumerable.Repeat(1.0, 6).ToArray() }, version = 2 });
        Assert.True(prediction.StatusCode == HttpStatusCode.OK, await prediction.Content.ReadAsStringAsync());
        var outputs = (await prediction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outputs")[0].EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Fixtures.AssertClose(Fixtures.ScriptedOnesOutput, outputs);
        output.WriteLine($"version 2 served {killed.Elapsed.TotalSeconds:F0} s after the poller's silo was killed");

        var after = await api.GetFromJsonAsync<JsonElement>("api/repository");
        var now = after.GetProperty("silo").GetString()!;
        Assert.NotEqual(poller, now);
        Assert.Contains(fixture.Silos, s => !s.HasExited && now.Contains($":{s.SiloPort}@", StringComparison.Ordinal));
        Assert.True(await fixture.ListAsync("artifacts/models/s3-repo/2/") is [_], "version 2's artifact is not in the artifact bucket");

        await fixture.StartSiloAsync();
        await fixture.WaitForMembershipAsync();
    }

    /// <summary>
    /// Scans every Redis key: none is the Redis artifact store's, none holds a value of 1 MiB or more, and no value
    /// contains a sample of any artifact or dataset object in the bucket.
    /// </summary>
    private async Task AssertRedisHoldsNoArtifactOrDatasetBytesAsync()
    {
        var samples = new List<(string Key, byte[] Bytes)>();
        foreach (var item in await fixture.ListAsync(""))
        {
            if (item.Size >= 4096 && !item.Key.StartsWith("repository/", StringComparison.Ordinal))
            {
                var bytes = await fixture.ReadAsync(item.Key);
                samples.Add((item.Key, bytes[(bytes.Length / 2)..(bytes.Length / 2 + 64)]));
            }
        }

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.RedisConnectionString);
        var server = redis.GetServers().Single();
        var db = redis.GetDatabase();
        var keys = 0;
        var largest = 0;
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            keys++;
            Assert.False(key.ToString().StartsWith("orleansml:artifacts", StringComparison.Ordinal), $"Redis holds the artifact store key {key}");
            foreach (var value in await ValuesAsync(db, key))
            {
                var bytes = (byte[])value!;
                largest = Math.Max(largest, bytes.Length);
                Assert.True(bytes.Length < 1 << 20, $"Redis key {key} holds a value of {bytes.Length} bytes");
                foreach (var (objectKey, sample) in samples)
                {
                    Assert.True(bytes.AsSpan().IndexOf(sample) < 0, $"Redis key {key} holds bytes of the S3 object {objectKey}");
                }
            }
        }

        output.WriteLine($"Redis: {keys} keys, largest value {largest} bytes; {samples.Count} S3 objects sampled");
        Assert.True(keys > 0, "Redis is empty: the scan saw nothing");
        Assert.Contains(samples, s => s.Key.StartsWith("artifacts/", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Key.StartsWith("datasets/", StringComparison.Ordinal));
    }

    private static async Task<RedisValue[]> ValuesAsync(IDatabase db, RedisKey key) => await db.KeyTypeAsync(key) switch
    {
        RedisType.String => [await db.StringGetAsync(key)],
        RedisType.Hash => (await db.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }).ToArray(),
        RedisType.List => await db.ListRangeAsync(key),
        RedisType.Set => await db.SetMembersAsync(key),
        RedisType.SortedSet => await db.SortedSetRangeByRankAsync(key),
        var other => throw new InvalidOperationException($"Redis key {key} is a {other}, which this scan does not read"),
    };

    private static async Task UploadAsync(HttpClient api, string name, string file)
    {
        using var csv = new StreamContent(File.OpenRead(file)) { Headers = { { "Content-Type", "text/csv" } } };
        var response = await api.PostAsync($"api/datasets/{name}?label=Class", csv);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Predicts one row until every active silo has answered; every answer names the same version and holds the same
    /// outputs (within float rounding: the dynamic batcher may run a row inside a larger batch). Returns the first.
    /// </summary>
    private static async Task<Answer> AnswerOnEverySiloAsync(HttpClient api, string model, double[] row)
    {
        var silos = (await api.GetFromJsonAsync<OrleansML.Cluster.SiloInfo[]>("api/cluster"))!.Select(s => s.Address).ToHashSet();
        var answers = new Dictionary<string, Answer>();
        var deadline = Stopwatch.StartNew();
        while (!silos.IsSubsetOf(answers.Keys))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"silos {string.Join(", ", silos)}; answers came from {string.Join(", ", answers.Keys)}");
            var batch = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.PostAsJsonAsync($"api/models/{model}/predict", new { inputs = new[] { row } })));
            foreach (var response in batch)
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, body);
                var json = JsonSerializer.Deserialize<JsonElement>(body);
                answers[json.GetProperty("silo").GetString()!] = new(json.GetProperty("version").GetInt32(),
                    json.GetProperty("outputs")[0].EnumerateArray().Select(e => e.GetDouble()).ToArray());
            }
        }

        var first = answers.Values.First();
        Assert.All(answers.Values, a => AssertSame(first, a));
        return first;
    }

    private static void AssertSame(Answer expected, Answer actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Fixtures.AssertClose(expected.Outputs, actual.Outputs);
    }

    private static async Task<double> AccuracyAsync(HttpClient api, double[][] rows, int[] labels)
    {
        var prediction = await (await api.PostAsJsonAsync("api/models/s3-digits/predict", new { inputs = rows })).Content.ReadFromJsonAsync<JsonElement>();
        var outputs = prediction.GetProperty("outputs").EnumerateArray().ToList();
        return (double)outputs.Select((o, i) => OptDigitsRows.ArgMax(o) == labels[i]).Count(c => c) / labels.Length;
    }

    private static async Task<List<(int Version, string Sha256)>> VersionsAsync(HttpClient api, string model) =>
        (await api.GetFromJsonAsync<JsonElement>($"api/models/{model}")).GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("sha256").GetString()!)).ToList();

    private static bool IsFinished(JsonElement status) => status.GetProperty("state").GetString() is not ("Pending" or "Running");

    /// <summary>GETs <paramref name="url"/> until <paramref name="done"/> holds; a request lost with a killed silo is asked again.</summary>
    private static async Task<JsonElement> PollAsync(HttpClient api, string url, Func<JsonElement, bool> done, string what)
    {
        var deadline = Stopwatch.StartNew();
        var last = "no answer";
        while (deadline.Elapsed < Deadline)
        {
            try
            {
                using var response = await api.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                last = $"{(int)response.StatusCode} {body}";
                if (response.IsSuccessStatusCode && JsonSerializer.Deserialize<JsonElement>(body) is var status && done(status))
                {
                    return status;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{what} not there after {Deadline}: {last}");
    }

    private sealed record Answer(int Version, double[] Outputs);
}
