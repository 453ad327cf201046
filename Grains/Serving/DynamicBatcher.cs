using System.Diagnostics;
using System.Threading.Channels;

namespace OrleansML.Serving;

/// <summary>
/// Coalesces concurrent requests for one loaded version into batches, and runs one batch at a time. An idle queue
/// dispatches at once (a lone request never waits); while a batch runs, arrivals queue up and form the next one.
/// When the queue shows load (two or more requests waiting) it waits up to the max queue delay to fill the batch, and
/// after a batch of several rows a first arrival waits (as long at most) for as many rows as that batch held: under
/// steady load the callers answered together come back together, and one row alone would cost a whole pass.
/// </summary>
public sealed class DynamicBatcher : IAsyncDisposable
{
    private readonly Channel<PendingPrediction> _queue = Channel.CreateUnbounded<PendingPrediction>(new() { SingleReader = true });
    private readonly Action<IReadOnlyList<PendingPrediction>> _execute;
    private readonly BatchingSettings _settings;
    private readonly Task _loop;
    private PendingPrediction? _carried;
    private int _lastRows;

    public DynamicBatcher(BatchingSettings settings, Action<IReadOnlyList<PendingPrediction>> execute)
    {
        _settings = settings;
        _execute = execute;
        _loop = Task.Run(RunAsync);
    }

    public Task<TensorData[]> EnqueueAsync(PendingPrediction pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Result.TrySetException(new ObjectDisposedException(nameof(DynamicBatcher), "The replica was unloaded."));
        }

        return pending.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var maxRows = _settings.Enabled ? Math.Max(1, _settings.MaxBatchSize) : 1;
        var delay = _settings.Enabled ? TimeSpan.FromMilliseconds(Math.Max(0, _settings.MaxQueueDelayMs)) : TimeSpan.Zero;
        var batch = new List<PendingPrediction>();
        while (_carried is not null || await reader.WaitToReadAsync())
        {
            batch.Clear();
            var rows = 0;
            if (_carried is not null)
            {
                batch.Add(_carried);
                rows = _carried.Rows;
                _carried = null;
            }

            while (rows < maxRows && TryTake(reader, batch, ref rows))
            {
            }

            var target = RowsToWaitFor(batch.Count, _lastRows, maxRows);
            if (rows < target && delay > TimeSpan.Zero)
            {
                var deadline = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
                while (rows < target && _carried is null)
                {
                    if (TryTake(reader, batch, ref rows))
                    {
                        continue;
                    }

                    var remaining = deadline - Stopwatch.GetTimestamp();
                    if (remaining <= 0 || !await WaitAsync(reader, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency)))
                    {
                        break;
                    }
                }
            }

            if (batch.Count > 0)
            {
                _lastRows = rows;
                _execute(batch);
            }
        }
    }

    /// <summary>
    /// How many rows a batch of <paramref name="requests"/> waits for (up to the max queue delay): two or more
    /// waiting fill the batch; one waiting after a bigger batch waits for as many rows as that batch held (the
    /// previous batch's callers are coming back, their answers left together); a lone request after lone requests
    /// waits for nothing.
    /// </summary>
    public static int RowsToWaitFor(int requests, int lastRows, int maxRows) =>
        requests >= 2 ? maxRows : Math.Min(maxRows, lastRows);

    /// <summary>Takes the next request into the batch when its row shape fits; otherwise carries it to the next batch.</summary>
    private bool TryTake(ChannelReader<PendingPrediction> reader, List<PendingPrediction> batch, ref int rows)
    {
        if (_carried is not null || !reader.TryRead(out var next))
        {
            return false;
        }

        var maxRows = _settings.Enabled ? Math.Max(1, _settings.MaxBatchSize) : 1;
        if (batch.Count > 0 && (next.RowShape != batch[0].RowShape || rows + next.Rows > maxRows))
        {
            _carried = next;
            return false;
        }

        batch.Add(next);
        rows += next.Rows;
        return true;
    }

    /// <summary>
    /// Whether a request arrived within <paramref name="timeout"/>. A wait that runs out is the common case under
    /// load (a batch that did not fill), so it is observed without throwing: an exception per batch is not free.
    /// </summary>
    private static async Task<bool> WaitAsync(ChannelReader<PendingPrediction> reader, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var arrived = reader.WaitToReadAsync(cancellation.Token).AsTask();
        await ((Task)arrived).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return arrived.IsCompletedSuccessfully && arrived.Result;
    }
}
