using OrleansML.Storage;

namespace OrleansML.Training;

/// <summary>
/// Writes a worker's checkpoints off the round path: the weights and optimizer state are copied into a buffer kept
/// from one checkpoint to the next (no large allocation per checkpoint), and the copy is written to the artifact
/// store in the background while the next rounds run. One write is in flight at a time, in the order asked.
/// </summary>
public sealed class CheckpointWriter(IArtifactStore artifacts)
{
    private byte[] _buffer = [];
    private Task _write = Task.CompletedTask;
    private long _written = -1;
    private volatile Exception? _failure;

    /// <summary>
    /// Copies the replica's state, taken after <paramref name="round"/>, now, and writes it to <paramref name="key"/>
    /// in the background.
    /// </summary>
    public async Task BeginAsync(string key, long round, TrainingReplica replica)
    {
        await _write;
        var length = Checkpoint.Length(replica);
        if (_buffer.Length != length)
        {
            _buffer = new byte[length];
        }

        Checkpoint.Save(replica, _buffer);
        var buffer = _buffer;
        _write = Task.Run(() => WriteAsync(key, round, buffer));
    }

    /// <summary>Throws when a background write failed, so the round that follows fails and the job recovers.</summary>
    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new InvalidOperationException($"writing a checkpoint failed: {failure.Message}", failure);
        }
    }

    /// <summary>Completes when the write in flight, if any, has finished.</summary>
    public Task DrainAsync() => _write;

    /// <summary>Waits for the write in flight; returns the round of the last checkpoint written (-1: none).</summary>
    public async Task<long> FlushAsync()
    {
        await _write;
        ThrowIfFailed();
        return Interlocked.Read(ref _written);
    }

    private async Task WriteAsync(string key, long round, byte[] buffer)
    {
        try
        {
            // Straight to its key, with no staging key and move: both stores replace an artifact atomically, and
            // nothing reads this key before the coordinator has stored the state naming it.
            await artifacts.WriteAsync(key, new MemoryStream(buffer, writable: false));
            Interlocked.Exchange(ref _written, round);
        }
        catch (Exception exception)
        {
            _failure = exception;
        }
    }
}
