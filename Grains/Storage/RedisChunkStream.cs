using StackExchange.Redis;

namespace OrleansML.Storage;

/// <summary>
/// Reads one generation of a Redis artifact chunk by chunk as the caller consumes it, so a reader holds one chunk,
/// not the artifact. A chunk that is gone (the artifact was overwritten or deleted during the read) fails the read
/// rather than mixing two generations.
/// </summary>
public sealed class RedisChunkStream(IDatabase db, string key, IReadOnlyList<RedisKey> chunks) : Stream
{
    // Chunks come in leases of pooled arrays: a 1 MiB array per chunk would be large-object garbage, which a
    // multi-GB read piles up faster than the GC returns it.
    private Lease<byte>? _chunk;
    private int _offset;
    private int _next;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == (_chunk?.Length ?? 0))
        {
            if (_next == chunks.Count)
            {
                return 0;
            }

            cancellationToken.ThrowIfCancellationRequested();
            _chunk?.Dispose();
            _chunk = await db.StringGetLeaseAsync(chunks[_next])
                ?? throw new IOException($"Artifact '{key}' lost chunk {_next} of {chunks.Count} while it was read (overwritten or deleted).");
            _offset = 0;
            _next++;
        }

        var count = Math.Min(buffer.Length, _chunk!.Length - _offset);
        _chunk.Memory.Slice(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        _chunk?.Dispose();
        _chunk = null;
        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
