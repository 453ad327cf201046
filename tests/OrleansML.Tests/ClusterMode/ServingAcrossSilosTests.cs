using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OrleansML.Cluster;
using OrleansML.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansML.Tests.ClusterMode;

[Collection(ProcessClusterCollection.Name)]
public sealed class ServingAcrossSilosTests(ProcessClusterFixture fixture, ITestOutputHelper output)
{
    private async Task CreateModelAsync(string name)
    {
        var response = await fixture.Api.PostAsJsonAsync("api/models",
            new { name, architecture = new { type = "mlp", inputs = 4, hidden = new[] { 8 }, outputs = 3 }, seed = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<HashSet<string>> ActiveSilosAsync() =>
        (await fixture.Api.GetFromJsonAsync<SiloInfo[]>("api/cluster"))!.Select(s => s.Address).ToHashSet();

    [Fact]
    public async Task A_model_created_through_the_api_is_served_by_every_silo()
    {
        await CreateModelAsync("mp-every-silo");
        var silos = await ActiveSilosAsync();

        await using var load = new PredictionLoad(fixture.Api, "mp-every-silo");
        // A silo that joined moments ago takes traffic once the Api's gateway list refreshes (5 s): wait for it.
        var deadline = Stopwatch.StartNew();
        while (!silos.IsSubsetOf(load.Results.Select(r => r.SiloOrError!)))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(45),
                $"silos {string.Join(", ", silos)} but answers came from {string.Join(", ", load.Results.Select(r => r.SiloOrError).Distinct())}");
            await Task.Delay(100);
        }

        Assert.All(load.Results, r => Assert.True(r.Succeeded, r.SiloOrError));
        Assert.Subset(silos, load.Results.Select(r => r.SiloOrError!).ToHashSet());
    }

    [Fact]
    public async Task Killing_one_of_three_silos_under_load_fails_at_most_one_in_a_thousand_and_recovers_within_15_seconds()
    {
        await CreateModelAsync("mp-kill");
        await using var load = new PredictionLoad(fixture.Api, "mp-kill");
        await load.WaitForMoreAsync(300);

        var victim = fixture.Silos.First(s => !s.HasExited);
        var killedAt = load.Clock.Elapsed;
        victim.Kill();
        fixture.Silos.Remove(victim);
        await load.WaitForMoreAsync(100);
        var deadline = Stopwatch.StartNew();
        while (load.Clock.Elapsed - killedAt < TimeSpan.FromSeconds(20))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "load stalled after the kill");
            await Task.Delay(100);
        }

        await load.DisposeAsync();
        var results = load.Results.ToList();
        var failed = results.Count(r => !r.Succeeded);
        var lastFailure = results.Where(r => !r.Succeeded).Select(r => r.At - killedAt).DefaultIfEmpty(TimeSpan.Zero).Max();
        var afterKill = results.Where(r => r.At > killedAt);
        var throughputBefore = results.Count(r => r.At < killedAt) / killedAt.TotalSeconds;
        var throughputAfter = afterKill.Count() / (load.Clock.Elapsed - killedAt).TotalSeconds;
        var aroundKill = results.Where(r => r.At > killedAt - TimeSpan.FromSeconds(1) && r.At < killedAt + TimeSpan.FromSeconds(10))
            .Select(r => r.Duration.TotalMilliseconds).Order().ToArray();
        output.WriteLine($"latency from 1 s before to 10 s after the kill: {aroundKill.Length} requests, " +
            $"p50 {aroundKill[aroundKill.Length / 2]:F1} ms, p99 {aroundKill[(int)(aroundKill.Length * 0.99)]:F1} ms, max {aroundKill[^1]:F1} ms, " +
            $"over 1 s: {aroundKill.Count(d => d > 1000)}");
        output.WriteLine($"requests {results.Count}, failed {failed} ({100.0 * failed / results.Count:F3}%), " +
            $"last failure {lastFailure.TotalSeconds:F2} s after the kill, throughput {throughputBefore:F0}/s before, {throughputAfter:F0}/s after; " +
            $"errors: {string.Join(", ", results.Where(r => !r.Succeeded).GroupBy(r => r.SiloOrError).Select(g => $"{g.Key} x{g.Count()}"))}");

        output.WriteLine("slowest around the kill (started after the kill, ms): " + string.Join(", ", results
            .Where(r => r.At > killedAt - TimeSpan.FromSeconds(1) && r.At < killedAt + TimeSpan.FromSeconds(10))
            .OrderByDescending(r => r.Duration).Take(12).Select(r => $"{(r.At - killedAt).TotalMilliseconds:F0}+{r.Duration.TotalMilliseconds:F0}")));
        foreach (var detail in results.Where(r => r.Detail is not null).Select(r => r.Detail).Distinct().Take(3))
        {
            output.WriteLine($"refused: {detail}");
        }

        // The Orleans client told the Api it lost the gateway (IClusterConnectionStatusObserver): its predictions failed over.
        Assert.Contains("Lost a gateway", fixture.ApiProcess!.FullOutput);
        Assert.True(failed <= results.Count / 1000, $"{failed} of {results.Count} requests failed");
        Assert.True(lastFailure <= TimeSpan.FromSeconds(15), $"requests still failed {lastFailure.TotalSeconds:F1} s after the kill");
        Assert.Contains(afterKill, r => r.Succeeded && r.At - killedAt > TimeSpan.FromSeconds(15));

        await fixture.StartSiloAsync();
        await fixture.WaitForMembershipAsync();
    }

    [Fact]
    public async Task A_fourth_silo_added_under_load_takes_replicas()
    {
        await CreateModelAsync("mp-scale-out");
        await using var load = new PredictionLoad(fixture.Api, "mp-scale-out");
        await load.WaitForMoreAsync(100);
        var before = await ActiveSilosAsync();

        await fixture.StartSiloAsync();
        var added = (await ActiveSilosAsync()).Except(before).Single();
        var deadline = Stopwatch.StartNew();
        while (!load.Results.Any(r => r.SiloOrError == added))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(45), $"the new silo {added} served nothing within 45 s");
            await Task.Delay(100);
        }

        output.WriteLine($"the new silo served its first request {deadline.Elapsed.TotalSeconds:F1} s after it was ready");
        var agent = await fixture.Api.GetFromJsonAsync<SiloInfo[]>("api/cluster");
        Assert.Contains(agent!, s => s.Address == added);
        Assert.DoesNotContain(load.Results, r => !r.Succeeded);
    }
}
