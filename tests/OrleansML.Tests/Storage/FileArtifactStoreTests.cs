using System.Text;
using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Storage;

public sealed class FileArtifactStoreTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public async Task Written_artifacts_read_back_move_and_delete()
    {
        var store = new FileArtifactStore(_folder.Path);
        await store.WriteAsync("staging/a", new MemoryStream(Encoding.UTF8.GetBytes("weights")));
        await store.MoveAsync("staging/a", "models/m/1/artifact");

        Assert.False(await store.ExistsAsync("staging/a"));
        await using (var read = await store.OpenReadAsync("models/m/1/artifact"))
        {
            Assert.Equal("weights", await new StreamReader(read!).ReadToEndAsync());
        }

        await store.DeleteAsync("models/m/1/artifact");
        Assert.Null(await store.OpenReadAsync("models/m/1/artifact"));
    }

    [Fact]
    public async Task Deleting_an_artifact_that_was_never_written_is_a_no_op_even_without_its_folder()
    {
        var store = new FileArtifactStore(_folder.Path);

        await store.DeleteAsync("scoring/job/attempt-that-died/part-00000");

        Assert.False(await store.ExistsAsync("scoring/job/attempt-that-died/part-00000"));
    }

    [Fact]
    public async Task A_key_that_leaves_the_folder_is_refused()
    {
        var store = new FileArtifactStore(_folder.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync("../outside", new MemoryStream([1])));
        Assert.False(File.Exists(Path.Combine(_folder.Path, "..", "outside")));
    }

    public void Dispose() => _folder.Dispose();
}
