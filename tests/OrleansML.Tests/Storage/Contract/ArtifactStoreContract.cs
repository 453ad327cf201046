using System.Diagnostics;
using System.Security.Cryptography;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansML.Tests.Storage.Contract;

/// <summary>
/// What every artifact store promises, run against each store (one subclass per store, with its real server). The
/// classes share one collection that runs alone: the 1 GB test measures this process's memory, and the stores'
/// servers share two cores. Each subclass names the collection itself: xunit does not inherit it.
/// </summary>
public abstract class ArtifactStoreContract(ITestOutputHelper output)
{
    public const string Name = "Artifact store contract";
    protected const int MiB = 1 << 20;

    /// <summary>The store under test, with parts small enough that a few MiB take the multipart paths.</summary>
    protected abstract IArtifactStore Store { get; }

    /// <summary>The store with its production part sizes, for the streaming test.</summary>
    protected abstract IArtifactStore LargeStore { get; }

    /// <summary>Size of the streaming test's artifact: large enough that holding it whole would break the 200 MiB bound.</summary>
    protected virtual long LargeArtifactBytes => 1L << 30;

    /// <summary>Asserts that a failed write left nothing behind (staged parts, temporary files, chunks).</summary>
    protected virtual Task AssertNoLeftoversAsync(string key) => Task.CompletedTask;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3 * MiB + 7)]
    [InlineData(12 * MiB + 3)]
    public async Task Bytes_written_read_back_exactly(int length)
    {
        var key = Key("artifact");
        using var content = new PatternStream(length, seed: length);

        await Store.WriteAsync(key, content);

        Assert.True(await Store.ExistsAsync(key));
        Assert.Equal(content.Sha256, await HashOfAsync(key));
    }

    [Fact]
    public async Task A_missing_key_reads_as_null_and_does_not_exist()
    {
        var key = Key("never-written");

        Assert.Null(await Store.OpenReadAsync(key));
        Assert.False(await Store.ExistsAsync(key));
    }

    [Fact]
    public async Task Delete_removes_the_artifact_and_deleting_a_missing_one_is_a_no_op()
    {
        var key = Key("doomed");
        await Store.WriteAsync(key, new PatternStream(2 * MiB, seed: 1));

        await Store.DeleteAsync(key);
        await Store.DeleteAsync(key);
        await Store.DeleteAsync(Key("never-written"));

        Assert.False(await Store.ExistsAsync(key));
        Assert.Null(await Store.OpenReadAsync(key));
    }

    [Fact]
    public async Task Move_replaces_the_target_and_removes_the_source()
    {
        var (from, to) = (Key("staging/weights"), Key("models/m/1/artifact"));
        await Store.WriteAsync(to, new PatternStream(7 * MiB, seed: 2));
        using var content = new PatternStream(3 * MiB + 1, seed: 3);
        await Store.WriteAsync(from, content);

        await Store.MoveAsync(from, to);

        Assert.False(await Store.ExistsAsync(from));
        Assert.Null(await Store.OpenReadAsync(from));
        Assert.Equal(content.Sha256, await HashOfAsync(to));
    }

    [Fact]
    public async Task Moving_a_missing_artifact_throws_and_leaves_the_target()
    {
        var to = Key("target");
        using var content = new PatternStream(MiB, seed: 4);
        await Store.WriteAsync(to, content);

        await Assert.ThrowsAnyAsync<IOException>(() => Store.MoveAsync(Key("never-written"), to));

        Assert.Equal(content.Sha256, await HashOfAsync(to));
    }

    [Fact]
    public async Task Overwriting_replaces_the_whole_artifact_whether_it_grows_or_shrinks()
    {
        var key = Key("artifact");
        await Store.WriteAsync(key, new PatternStream(2 * MiB, seed: 5));
        using var larger = new PatternStream(12 * MiB + 5, seed: 6);
        await Store.WriteAsync(key, larger);
        Assert.Equal(larger.Sha256, await HashOfAsync(key));

        using var smaller = new PatternStream(100, seed: 7);
        await Store.WriteAsync(key, smaller);
        Assert.Equal(smaller.Sha256, await HashOfAsync(key));
    }

    [Fact]
    public async Task Concurrent_writers_to_different_keys_each_land_whole()
    {
        var writers = Enumerable.Range(0, 6).Select(i => (Key: Key($"part-{i}"), Content: new PatternStream(6 * MiB + i, seed: 100 + i))).ToArray();

        await Task.WhenAll(writers.Select(w => Task.Run(() => Store.WriteAsync(w.Key, w.Content))));

        foreach (var (key, content) in writers)
        {
            Assert.Equal(content.Sha256, await HashOfAsync(key));
            content.Dispose();
        }
    }

    [Fact]
    public async Task Concurrent_writers_to_one_key_leave_one_whole_artifact_of_theirs()
    {
        for (var round = 0; round < 3; round++)
        {
            var key = Key("contended");
            var writers = Enumerable.Range(0, 4).Select(i => new PatternStream(8 * MiB + 11 * i, seed: 200 + 10 * round + i)).ToArray();

            await Task.WhenAll(writers.Select(w => Task.Run(() => Store.WriteAsync(key, w))));

            var stored = await HashOfAsync(key);
            Assert.Contains(writers, w => w.Sha256.AsSpan().SequenceEqual(stored));
            foreach (var writer in writers)
            {
                writer.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_read_overtaken_by_an_overwrite_yields_the_old_artifact_whole_or_fails_never_a_mix()
    {
        var key = Key("swapped");
        using var old = new PatternStream(12 * MiB, seed: 14);
        await Store.WriteAsync(key, old);
        await using var reader = await Store.OpenReadAsync(key) ?? throw new InvalidOperationException("missing");
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[MiB];
        hash.AppendData(buffer, 0, await reader.ReadAtLeastAsync(buffer, MiB));

        await Store.WriteAsync(key, new PatternStream(12 * MiB, seed: 15));

        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        catch (Exception exception)
        {
            output.WriteLine($"the overtaken read failed: {exception.GetType().Name}: {exception.Message}");
            return;
        }

        Assert.Equal(old.Sha256, hash.GetCurrentHash());
    }

    [Fact]
    public async Task A_write_that_fails_mid_stream_leaves_nothing_at_a_new_key_and_the_old_artifact_at_an_existing_one()
    {
        var (fresh, existing) = (Key("fresh"), Key("existing"));
        using var before = new PatternStream(MiB, seed: 8);
        await Store.WriteAsync(existing, before);

        await Assert.ThrowsAnyAsync<IOException>(() => Store.WriteAsync(fresh, new PatternStream(40 * MiB, seed: 9, failAfter: 17 * MiB)));
        await Assert.ThrowsAnyAsync<IOException>(() => Store.WriteAsync(existing, new PatternStream(40 * MiB, seed: 9, failAfter: 17 * MiB)));

        Assert.False(await Store.ExistsAsync(fresh));
        Assert.Null(await Store.OpenReadAsync(fresh));
        Assert.Equal(before.Sha256, await HashOfAsync(existing));
        await AssertNoLeftoversAsync(fresh);
    }

    [Fact]
    public async Task Check_passes_on_a_store_that_can_be_written() => await Store.CheckAsync();

    [Fact]
    public async Task A_large_artifact_streams_in_and_out_with_bounded_memory()
    {
        var key = Key("large");
        var timer = Stopwatch.StartNew();
        byte[] written, read;
        long peak, managed;
        await using (var memory = ProcessMemory.Watch())
        {
            using (var content = new PatternStream(LargeArtifactBytes, seed: 10))
            {
                await LargeStore.WriteAsync(key, content);
                written = content.Sha256;
            }

            var upload = timer.Elapsed;
            read = await HashOfAsync(key, LargeStore);
            peak = memory.PeakGrowth();
            managed = memory.ManagedGrowth();
            output.WriteLine($"{LargeArtifactBytes / MiB} MiB: upload {upload.TotalSeconds:F1} s, download {(timer.Elapsed - upload).TotalSeconds:F1} s, " +
                $"peak resident growth {peak / MiB} MiB, managed heap growth {managed / MiB} MiB");
        }

        await LargeStore.DeleteAsync(key);
        Assert.Equal(written, read);
        Assert.True(peak < 200L * MiB, $"resident memory rose by {peak / MiB} MiB streaming {LargeArtifactBytes / MiB} MiB");
        // The shared ArrayPool keeps the object stores' two part buffers (2 x 16 MiB) for the next write.
        Assert.True(managed < 64L * MiB, $"the managed heap kept {managed / MiB} MiB after streaming {LargeArtifactBytes / MiB} MiB");
    }

    /// <summary>A key of its own for each use, so tests and reruns never meet on a server.</summary>
    protected static string Key(string name) => $"contract/{Guid.NewGuid():N}/{name}";

    protected async Task<byte[]> HashOfAsync(string key, IArtifactStore? store = null)
    {
        await using var stream = await (store ?? Store).OpenReadAsync(key) ?? throw new InvalidOperationException($"'{key}' is missing");
        return await SHA256.HashDataAsync(stream);
    }
}

[CollectionDefinition(ArtifactStoreContract.Name, DisableParallelization = true)]
public sealed class ArtifactStoreContractCollection;
