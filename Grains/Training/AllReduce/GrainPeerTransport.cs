namespace OrleansML.Training.AllReduce;

/// <summary>Sends all-reduce messages to peer worker grains in chunks of at most <c>chunkFloats</c> floats.</summary>
public sealed class GrainPeerTransport(int rank, ITrainingWorkerGrain[] peers, PeerMailbox mailbox, int chunkFloats, TimeSpan timeout)
    : IPeerTransport
{
    private long _bytesSent;

    public int Rank => rank;

    public int Size => peers.Length;

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public async Task SendAsync(int peer, long round, int step, ReadOnlyMemory<float> data, CancellationToken cancellationToken)
    {
        for (var offset = 0; offset < data.Length || (offset == 0 && data.Length == 0); offset += chunkFloats)
        {
            var chunk = data.Slice(offset, Math.Min(chunkFloats, data.Length - offset)).ToArray();
            try
            {
                await peers[peer].DeliverAsync(new GradientChunk(rank, round, step, offset, data.Length, chunk))
                    .WaitAsync(timeout, cancellationToken);
            }
            catch (Exception exception) when (exception is not TimeoutException and not OperationCanceledException)
            {
                // Reported as a timeout: the coordinator suspects the silo that did not answer, not this sender.
                throw new TimeoutException($"peer {peer} did not take round {round} step {step}: {exception.Message}", exception);
            }
            Interlocked.Add(ref _bytesSent, (long)chunk.Length * sizeof(float));
            if (data.Length == 0)
            {
                break;
            }
        }
    }

    public Task<float[]> ReceiveAsync(int peer, long round, int step, int length, CancellationToken cancellationToken) =>
        mailbox.ReceiveAsync(peer, round, step, length, cancellationToken).WaitAsync(timeout, cancellationToken);
}
