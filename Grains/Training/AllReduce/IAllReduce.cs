namespace OrleansML.Training.AllReduce;

/// <summary>
/// Sums a vector across every member of a group, in place: when it returns, every member holds the same sum.
/// Members call it with the same <c>round</c> at the same time (a collective, as in MPI or NCCL).
/// </summary>
public interface IAllReduce
{
    Task SumAsync(float[] vector, IPeerTransport transport, long round, CancellationToken cancellationToken);
}

/// <summary>Point-to-point messages between the ranks of one group; it splits a message into bounded chunks.</summary>
public interface IPeerTransport
{
    int Rank { get; }

    int Size { get; }

    /// <summary>Bytes this member has sent since it was created.</summary>
    long BytesSent { get; }

    Task SendAsync(int peer, long round, int step, ReadOnlyMemory<float> data, CancellationToken cancellationToken);

    /// <summary>Waits for the <paramref name="length"/> floats <paramref name="peer"/> sends for this round and step.</summary>
    Task<float[]> ReceiveAsync(int peer, long round, int step, int length, CancellationToken cancellationToken);
}

public static class AllReduceAlgorithms
{
    public static readonly string[] Names = ["ring", "gather"];

    public static IAllReduce Create(string name) => name.ToLowerInvariant() switch
    {
        "gather" => new GatherAllReduce(),
        _ => new RingAllReduce(),
    };
}
