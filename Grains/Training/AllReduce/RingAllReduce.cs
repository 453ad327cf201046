namespace OrleansML.Training.AllReduce;

/// <summary>
/// The bandwidth-optimal ring all-reduce (Baidu, Horovod): the vector is cut into N segments; in N-1 reduce-scatter
/// steps each member passes one segment to the next and adds the one it receives, leaving it the full sum of one
/// segment; N-1 all-gather steps then pass the summed segments round. Each member sends 2(N-1)/N of the vector,
/// whatever N is.
/// </summary>
public sealed class RingAllReduce : IAllReduce
{
    public async Task SumAsync(float[] vector, IPeerTransport transport, long round, CancellationToken cancellationToken)
    {
        var size = transport.Size;
        if (size == 1)
        {
            return;
        }

        var rank = transport.Rank;
        var next = (rank + 1) % size;
        var previous = (rank + size - 1) % size;
        int Start(int segment) => (int)((long)vector.Length * segment / size);
        Memory<float> Segment(int segment) => vector.AsMemory(Start(segment), Start(segment + 1) - Start(segment));
        int Mod(int value) => ((value % size) + size) % size;

        for (var step = 0; step < size - 1; step++)
        {
            var send = Segment(Mod(rank - step));
            var into = Segment(Mod(rank - step - 1));
            var receive = transport.ReceiveAsync(previous, round, step, into.Length, cancellationToken);
            await transport.SendAsync(next, round, step, send, cancellationToken);
            var received = await receive;
            GatherAllReduce.Add(into.Span, received);
        }

        for (var step = 0; step < size - 1; step++)
        {
            var send = Segment(Mod(rank + 1 - step));
            var into = Segment(Mod(rank - step));
            var receive = transport.ReceiveAsync(previous, round, size - 1 + step, into.Length, cancellationToken);
            await transport.SendAsync(next, round, size - 1 + step, send, cancellationToken);
            (await receive).CopyTo(into);
        }
    }
}
