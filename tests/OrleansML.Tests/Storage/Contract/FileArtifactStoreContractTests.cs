using OrleansML.Storage;
using OrleansML.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrleansML.Tests.Storage.Contract;

[Collection(Name)]
public sealed class FileArtifactStoreContractTests(ITestOutputHelper output) : ArtifactStoreContract(output), IDisposable
{
    private readonly TempDirectory _folder = new();

    protected override IArtifactStore Store => new FileArtifactStore(_folder.Path);

    protected override IArtifactStore LargeStore => Store;

    protected override Task AssertNoLeftoversAsync(string key)
    {
        Assert.Empty(Directory.EnumerateFiles(_folder.Path, "*.tmp", SearchOption.AllDirectories));
        return Task.CompletedTask;
    }

    public void Dispose() => _folder.Dispose();
}
