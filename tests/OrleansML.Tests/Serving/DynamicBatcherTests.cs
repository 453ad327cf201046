using OrleansML.Tests.Infrastructure;
using System.Collections.Concurrent;
using OrleansML.Serving;

namespace OrleansML.Tests.Serving;

public sealed class DynamicBatcherTests
{
    private static PendingPrediction Request(int id) => new([TestTensors.Fp32([1, 1], [id])]);

    private static TensorData[] Echo(PendingPrediction p) => [p.Inputs[0]];

    [Fact]
    public async Task A_lone_request_is_dispatched_at_once_even_with_a_long_queue_delay()
    {
        var batches = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher(new BatchingSettings(true, 64, MaxQueueDelayMs: 600_000), batch =>
        {
            batches.Enqueue(batch.Count);
            foreach (var p in batch)
            {
                p.Result.SetResult(Echo(p));
            }
        });

        var result = await batcher.EnqueueAsync(Request(7)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(7, result[0].ToDoubles()[0]);
        Assert.Equal([1], batches);
    }

    [Fact]
    public async Task Requests_arriving_while_a_batch_runs_are_coalesced_into_the_next_one_up_to_the_max_size()
    {
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var batches = new ConcurrentQueue<int[]>();
        await using var batcher = new DynamicBatcher(new BatchingSettings(true, 8, MaxQueueDelayMs: 0), batch =>
        {
            batches.Enqueue(batch.Select(p => (int)p.Inputs[0].ToDoubles()[0]).ToArray());
            if (batches.Count == 1)
            {
                firstStarted.SetResult();
                releaseFirst.Task.Wait();
            }

            foreach (var p in batch)
            {
                p.Result.SetResult(Echo(p));
            }
        });

        var first = batcher.EnqueueAsync(Request(0));
        await firstStarted.Task;
        var queued = Enumerable.Range(1, 12).Select(i => batcher.EnqueueAsync(Request(i))).ToArray();
        releaseFirst.SetResult();
        var results = await Task.WhenAll(queued.Prepend(first));

        Assert.Equal(Enumerable.Range(0, 13), results.Select(r => (int)r[0].ToDoubles()[0]));
        Assert.Equal(new[] { 1, 8, 4 }, batches.Select(b => b.Length));
        Assert.Equal(Enumerable.Range(1, 8), batches.ElementAt(1));
    }

    [Fact]
    public async Task With_batching_disabled_every_request_runs_alone()
    {
        var sizes = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher(new BatchingSettings(Enabled: false), batch =>
        {
            sizes.Enqueue(batch.Count);
            foreach (var p in batch)
            {
                p.Result.SetResult(Echo(p));
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => batcher.EnqueueAsync(Request(i))));

        Assert.Equal(20, sizes.Count);
        Assert.All(sizes, s => Assert.Equal(1, s));
    }

    [Fact]
    public async Task Requests_with_different_row_shapes_never_share_a_batch()
    {
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var batches = new ConcurrentQueue<string[]>();
        await using var batcher = new DynamicBatcher(new BatchingSettings(true, 64, 0), batch =>
        {
            batches.Enqueue(batch.Select(p => p.RowShape).ToArray());
            if (batches.Count == 1)
            {
                started.SetResult();
                gate.Task.Wait();
            }

            foreach (var p in batch)
            {
                p.Result.SetResult(Echo(p));
            }
        });

        var first = batcher.EnqueueAsync(Request(0));
        await started.Task;
        var mixed = new[]
        {
            batcher.EnqueueAsync(new PendingPrediction([TestTensors.Fp32([1, 1], [1])])),
            batcher.EnqueueAsync(new PendingPrediction([TestTensors.Fp32([1, 2], [1, 2])])),
        };
        gate.SetResult();
        await Task.WhenAll(mixed.Append(first));

        Assert.All(batches, b => Assert.Single(b.Distinct()));
    }

    [Theory]
    [InlineData(1, 0, 64, 0)]
    [InlineData(1, 1, 64, 1)]
    [InlineData(1, 40, 64, 40)]
    [InlineData(1, 64, 16, 16)]
    [InlineData(2, 1, 64, 64)]
    [InlineData(5, 64, 64, 64)]
    public void A_first_arrival_after_a_batch_of_several_rows_waits_for_as_many_and_one_after_lone_requests_for_none(
        int requests, int lastRows, int maxRows, int expected)
    {
        Assert.Equal(expected, DynamicBatcher.RowsToWaitFor(requests, lastRows, maxRows));
    }

    [Fact]
    public async Task Lone_requests_after_lone_requests_are_never_held_back()
    {
        var sizes = new ConcurrentQueue<int>();
        await using var batcher = new DynamicBatcher(new BatchingSettings(true, 64, MaxQueueDelayMs: 600_000), batch =>
        {
            sizes.Enqueue(batch.Count);
            foreach (var p in batch)
            {
                p.Result.SetResult(Echo(p));
            }
        });

        for (var i = 0; i < 5; i++)
        {
            await batcher.EnqueueAsync(Request(i)).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal([1, 1, 1, 1, 1], sizes);
    }
}
