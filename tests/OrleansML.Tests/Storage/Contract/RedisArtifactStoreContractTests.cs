using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OrleansML.Tests.Storage.Contract;

[Collection(Name)]
public sealed class RedisArtifactStoreContractTests(RedisServer redis, ITestOutputHelper output)
    : ArtifactStoreContract(output), IClassFixture<RedisServer>, IAsyncLifetime
{
    private ConnectionMultiplexer _connection = null!;

    protected override IArtifactStore Store => new RedisArtifactStore(_connection, "contract");

    protected override IArtifactStore LargeStore => Store;

    public async Task InitializeAsync() => _connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    protected override Task AssertNoLeftoversAsync(string key)
    {
        var server = _connection.GetServer(_connection.GetEndPoints()[0]);
        Assert.Empty(server.Keys(pattern: $"contract:{key}*"));
        return Task.CompletedTask;
    }
}
