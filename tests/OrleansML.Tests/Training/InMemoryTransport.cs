using OrleansML.Training.AllReduce;

namespace OrleansML.Tests.Training;

/// <summary>A group of in-process peers over <see cref="PeerMailbox"/>es, chunking like the grain transport.</summary>
public sealed class InMemoryTransport(int rank, PeerMailbox[] mailboxes, int chunkFloats) : IPeerTransport
{
    private long _bytes;

    public int Rank => rank;

    public int Size => mailboxes.Length;

    public long BytesSent => _bytes;

    public int Messages { get; private set; }

    public int LargestChunk { get; private set; }

    public async Task SendAsync(int peer, long round, int step, ReadOnlyMemory<float> data, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < data.Length; offset += chunkFloats)
        {
            var chunk = data.Slice(offset, Math.Min(chunkFloats, data.Length - offset)).ToArray();
            await Task.Yield();
            mailboxes[peer].Deliver(rank, round, step, offset, data.Length, chunk);
            _bytes += chunk.Length * sizeof(float);
            Messages++;
            LargestChunk = Math.Max(LargestChunk, chunk.Length);
        }
    }

    public Task<float[]> ReceiveAsync(int peer, long round, int step, int length, CancellationToken cancellationToken) =>
        mailboxes[rank].ReceiveAsync(peer, round, step, length, cancellationToken);

    public static InMemoryTransport[] Group(int size, int chunkFloats)
    {
        var mailboxes = Enumerable.Range(0, size).Select(_ => new PeerMailbox()).ToArray();
        return Enumerable.Range(0, size).Select(r => new InMemoryTransport(r, mailboxes, chunkFloats)).ToArray();
    }
}
