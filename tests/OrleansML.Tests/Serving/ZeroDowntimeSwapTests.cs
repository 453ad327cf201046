using System.Collections.Concurrent;
using System.Diagnostics;
using OrleansML.Cluster;
using OrleansML.Serving;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Serving;

[Collection(ClusterCollection.Name)]
public sealed class ZeroDowntimeSwapTests(ClusterFixture fixture)
{
    private static TensorData Row(int width) => TestTensors.Fp32([1, width], Enumerable.Repeat(0.5, width).ToArray());

    private async Task<IModelGrain> TwoVersionsAsync(string name, ArchitectureSpec architecture)
    {
        var model = fixture.Client.GetGrain<IModelGrain>(name);
        await model.CreateAsync(architecture, seed: 1);
        await model.AddVersionAsync(await NativeVersions.StageAsync(fixture, architecture, seed: 2));
        return model;
    }

    [Fact]
    public async Task Moving_a_label_under_concurrent_load_fails_no_request_and_every_answer_names_its_version()
    {
        var model = await TwoVersionsAsync("swap-under-load", new ArchitectureSpec("mlp", 32, [64], 4));
        await model.SetLabelAsync("stable", 1);
        var predictor = fixture.Client.GetGrain<IPredictorGrain>("swap-under-load");
        var answers = new ConcurrentBag<int>();
        var failures = new ConcurrentBag<Exception>();
        using var stop = new CancellationTokenSource();

        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    answers.Add((await predictor.PredictAsync(TestTensors.Request(Row(32)))).Version);
                }
                catch (Exception exception)
                {
                    failures.Add(exception);
                }
            }
        })).ToArray();

        for (var swap = 0; swap < 6; swap++)
        {
            // Each move happens while requests are flowing: wait for 20 more answers first.
            var before = answers.Count;
            await WaitUntilAsync(() => answers.Count >= before + 20);
            await model.SetLabelAsync("stable", swap % 2 == 0 ? 2 : 1);
        }

        var settled = answers.Count;
        await WaitUntilAsync(() => answers.Count > settled + 50);
        stop.Cancel();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.All(answers, v => Assert.Contains(v, new[] { 1, 2 }));
        Assert.Contains(1, answers);
        Assert.Contains(2, answers);
        var final = await predictor.PredictAsync(TestTensors.Request(Row(32)));
        Assert.Equal(1, final.Version);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
