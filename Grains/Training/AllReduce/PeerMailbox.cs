namespace OrleansML.Training.AllReduce;

/// <summary>
/// Collects the chunks peers send to one member and hands each complete message to the receive waiting for it,
/// whichever arrives first. Chunks of one message may come in any order.
/// </summary>
public sealed class PeerMailbox
{
    private readonly Dictionary<(int From, long Round, int Step), Pending> _pending = [];
    private readonly Lock _lock = new();

    public void Deliver(int from, long round, int step, int offset, int total, float[] data)
    {
        Pending pending;
        lock (_lock)
        {
            pending = Get(from, round, step, total);
        }

        data.CopyTo(pending.Buffer, offset);
        if (Interlocked.Add(ref pending.Received, data.Length) == total)
        {
            pending.Done.TrySetResult(pending.Buffer);
        }
    }

    public async Task<float[]> ReceiveAsync(int from, long round, int step, int length, CancellationToken cancellationToken)
    {
        Pending pending;
        lock (_lock)
        {
            pending = Get(from, round, step, length);
        }

        try
        {
            return length == 0 ? [] : await pending.Done.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                _pending.Remove((from, round, step));
            }
        }
    }

    /// <summary>Drops messages of rounds before <paramref name="round"/> (from a group that failed mid-round).</summary>
    public void Forget(long round)
    {
        lock (_lock)
        {
            foreach (var key in _pending.Keys.Where(k => k.Round < round).ToList())
            {
                _pending.Remove(key);
            }
        }
    }

    private Pending Get(int from, long round, int step, int length)
    {
        if (!_pending.TryGetValue((from, round, step), out var pending))
        {
            pending = new Pending(new float[length]);
            _pending[(from, round, step)] = pending;
        }

        return pending;
    }

    private sealed class Pending(float[] buffer)
    {
        public readonly float[] Buffer = buffer;
        public readonly TaskCompletionSource<float[]> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Received;
    }
}
