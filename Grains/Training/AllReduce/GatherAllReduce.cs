namespace OrleansML.Training.AllReduce;

/// <summary>
/// The simple all-reduce: every member sends its vector to rank 0, which sums them in rank order and sends the sum
/// back. Rank 0 sends (N-1)·S and the others S each: correct, but rank 0's link carries everything.
/// </summary>
public sealed class GatherAllReduce : IAllReduce
{
    public async Task SumAsync(float[] vector, IPeerTransport transport, long round, CancellationToken cancellationToken)
    {
        if (transport.Size == 1)
        {
            return;
        }

        if (transport.Rank != 0)
        {
            await transport.SendAsync(0, round, 0, vector, cancellationToken);
            var sum = await transport.ReceiveAsync(0, round, 1, vector.Length, cancellationToken);
            sum.CopyTo(vector, 0);
            return;
        }

        var parts = await Task.WhenAll(Enumerable.Range(1, transport.Size - 1)
            .Select(peer => transport.ReceiveAsync(peer, round, 0, vector.Length, cancellationToken)));
        foreach (var part in parts)
        {
            Add(vector, part);
        }

        await Task.WhenAll(Enumerable.Range(1, transport.Size - 1)
            .Select(peer => transport.SendAsync(peer, round, 1, vector, cancellationToken)));
    }

    internal static void Add(Span<float> target, ReadOnlySpan<float> source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += source[i];
        }
    }
}
