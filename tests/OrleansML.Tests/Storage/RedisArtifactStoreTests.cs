using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrleansML.Tests.Storage;

public sealed class RedisArtifactStoreTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private ConnectionMultiplexer _connection = null!;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    [Fact]
    public async Task A_large_artifact_is_stored_in_chunks_no_larger_than_the_chunk_size_and_reads_back_exactly()
    {
        var store = new RedisArtifactStore(_connection, "test-large");
        var content = new byte[(int)(RedisArtifactStore.ChunkSize * 3.5)];
        new Random(1).NextBytes(content);

        await store.WriteAsync("models/big/1/artifact", new MemoryStream(content));

        await using (var read = await store.OpenReadAsync("models/big/1/artifact"))
        {
            var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }

        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        var chunks = server.Keys(pattern: "test-large:models/big/1/artifact:*").ToList();
        Assert.Equal(4, chunks.Count);
        foreach (var key in chunks)
        {
            Assert.True(await _connection.GetDatabase().StringLengthAsync(key) <= RedisArtifactStore.ChunkSize);
        }
    }

    [Fact]
    public async Task Overwriting_moving_and_deleting_leave_no_orphaned_chunks()
    {
        var store = new RedisArtifactStore(_connection, "test-moves");
        await store.WriteAsync("staging/x", new MemoryStream(new byte[RedisArtifactStore.ChunkSize + 1]));
        await store.WriteAsync("staging/x", new MemoryStream([1, 2, 3]));
        await store.MoveAsync("staging/x", "models/m/1/artifact");

        Assert.False(await store.ExistsAsync("staging/x"));
        await using (var read = await store.OpenReadAsync("models/m/1/artifact"))
        {
            var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
        }

        await store.DeleteAsync("models/m/1/artifact");
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        Assert.Empty(server.Keys(pattern: "test-moves:*"));
        Assert.Null(await store.OpenReadAsync("models/m/1/artifact"));
    }
}
