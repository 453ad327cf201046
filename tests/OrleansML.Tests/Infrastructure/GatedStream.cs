namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// A read-only stream over another that stops at a byte offset until the test opens the gate: how a test holds an
/// upload in flight (its first parts sent, the rest not yet read) while it changes the world under it.
/// </summary>
public sealed class GatedStream(Stream inner, long gateAt) : Stream
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _position;

    /// <summary>Completes when a read reaches the gate (every byte before it was handed out).</summary>
    public Task Reached => _reached.Task;

    /// <summary>Lets reads past the gate go on.</summary>
    public void Open() => _open.TrySetResult();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= gateAt)
        {
            _reached.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
        }

        var count = _position < gateAt ? (int)Math.Min(buffer.Length, gateAt - _position) : buffer.Length;
        var read = await inner.ReadAsync(buffer[..count], cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
