using StackExchange.Redis;

namespace OrleansML.Storage;

/// <summary>
/// Artifacts in Redis for cluster mode. Each artifact is split into chunks of at most <see cref="ChunkSize"/>
/// bytes, so no single Redis value grows past a few MB however large the model. A write lands all chunks under a
/// fresh generation before it moves the artifact's head to that generation, so readers never see a half-written
/// artifact; the previous generation's chunks are deleted afterwards. Reads fetch one chunk at a time as the caller
/// consumes them (<see cref="RedisChunkStream"/>).
/// </summary>
public sealed class RedisArtifactStore(IConnectionMultiplexer redis, string prefix = "orleansml:artifacts") : IArtifactStore
{
    public const int ChunkSize = 1 << 20;

    private IDatabase Db => redis.GetDatabase();

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var generation = Guid.NewGuid().ToString("N");
        var buffer = new byte[ChunkSize];
        var chunks = 0;
        try
        {
            while (true)
            {
                var read = await content.ReadAtLeastAsync(buffer, ChunkSize, throwOnEndOfStream: false, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                await Db.StringSetAsync(ChunkKey(key, generation, chunks++), buffer.AsMemory(0, read));
            }
        }
        catch
        {
            // The head still names the previous generation, so readers never saw these chunks: drop them.
            await DeleteChunksAsync(key, [new("generation", generation), new("chunks", chunks)]);
            throw;
        }

        var previous = await Db.HashGetAllAsync(HeadKey(key));
        await Db.HashSetAsync(HeadKey(key), [new("generation", generation), new("chunks", chunks)]);
        await DeleteChunksAsync(key, previous);
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var head = await Db.HashGetAllAsync(HeadKey(key));
        if (head.Length == 0)
        {
            return null;
        }

        var (generation, chunks) = Parse(head);
        return new RedisChunkStream(Db, key, Enumerable.Range(0, chunks).Select(i => (RedisKey)ChunkKey(key, generation, i)).ToArray());
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Db.KeyExistsAsync(HeadKey(key));

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var head = await Db.HashGetAllAsync(HeadKey(key));
        await Db.KeyDeleteAsync(HeadKey(key));
        await DeleteChunksAsync(key, head);
    }

    public async Task MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default)
    {
        await using var source = await OpenReadAsync(fromKey, cancellationToken)
            ?? throw new FileNotFoundException($"Artifact '{fromKey}' does not exist.");
        await WriteAsync(toKey, source, cancellationToken);
        await DeleteAsync(fromKey, cancellationToken);
    }

    public Task CheckAsync(CancellationToken cancellationToken = default) => Db.PingAsync();

    private async Task DeleteChunksAsync(string key, HashEntry[] head)
    {
        if (head.Length == 0)
        {
            return;
        }

        var (generation, chunks) = Parse(head);
        var keys = Enumerable.Range(0, chunks).Select(i => (RedisKey)ChunkKey(key, generation, i)).ToArray();
        await Db.KeyDeleteAsync(keys);
    }

    private static (string Generation, int Chunks) Parse(HashEntry[] head)
    {
        var values = head.ToDictionary(e => e.Name.ToString(), e => e.Value);
        return (values["generation"].ToString(), (int)values["chunks"]);
    }

    private string HeadKey(string key) => $"{prefix}:{key}";

    private string ChunkKey(string key, string generation, int index) => $"{prefix}:{key}:{generation}:{index}";
}
