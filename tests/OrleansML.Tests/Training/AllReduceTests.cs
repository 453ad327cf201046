using OrleansML.Training.AllReduce;

namespace OrleansML.Tests.Training;

public sealed class AllReduceTests
{
    private static float[][] Vectors(int members, int length) =>
        Enumerable.Range(0, members).Select(m => Enumerable.Range(0, length).Select(i => (float)((m + 1) * 0.5 + i % 7)).ToArray()).ToArray();

    private static async Task<InMemoryTransport[]> RunAsync(IAllReduce algorithm, float[][] vectors, int chunkFloats)
    {
        var transports = InMemoryTransport.Group(vectors.Length, chunkFloats);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Task.WhenAll(vectors.Select((v, rank) => Task.Run(() => algorithm.SumAsync(v, transports[rank], 7, timeout.Token))));
        return transports;
    }

    [Theory]
    [InlineData("ring", 1)]
    [InlineData("ring", 2)]
    [InlineData("ring", 3)]
    [InlineData("ring", 5)]
    [InlineData("gather", 3)]
    public async Task Every_member_ends_with_the_elementwise_sum(string name, int members)
    {
        var vectors = Vectors(members, 1003);
        var expected = Enumerable.Range(0, 1003).Select(i => vectors.Sum(v => v[i])).ToArray();

        await RunAsync(AllReduceAlgorithms.Create(name), vectors, chunkFloats: 100);

        foreach (var vector in vectors)
        {
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], vector[i], 3);
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Ring_members_each_send_2_N_minus_1_over_N_of_the_vector_in_bounded_chunks(int members)
    {
        const int Length = 30_000;
        var transports = await RunAsync(new RingAllReduce(), Vectors(members, Length), chunkFloats: 4096);

        var optimum = 2.0 * (members - 1) / members * Length * sizeof(float);
        foreach (var transport in transports)
        {
            Assert.InRange(transport.BytesSent, optimum - members * 8, optimum + members * 8);
            Assert.True(transport.LargestChunk <= 4096);
        }
    }

    [Fact]
    public async Task Gather_root_sends_everything_while_ring_spreads_the_load()
    {
        const int Length = 9000;
        var gather = await RunAsync(new GatherAllReduce(), Vectors(3, Length), 1 << 20);
        var ring = await RunAsync(new RingAllReduce(), Vectors(3, Length), 1 << 20);

        Assert.Equal(2L * Length * sizeof(float), gather[0].BytesSent);
        Assert.True(ring.Max(t => t.BytesSent) < gather[0].BytesSent);
    }
}
