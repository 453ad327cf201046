namespace OrleansML.Repository;

/// <summary>A repository in a local or mounted folder (<c>file:///models</c>).</summary>
public sealed class FileRepositorySource(string root, string url) : IRepositorySource
{
    public string Url => url;

    public async IAsyncEnumerable<RepositoryFile> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(root))
        {
            // Thrown, not an empty listing: a missing mount must not read as "every model was removed".
            throw new DirectoryNotFoundException($"the repository folder '{root}' does not exist.");
        }

        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.GetRelativePath(root, file.FullName).Replace(Path.DirectorySeparatorChar, '/');
            yield return new RepositoryFile(path, file.Length, $"{file.Length}:{file.LastWriteTimeUtc.Ticks}");
        }

        await Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(File.OpenRead(Path.Combine(root, path)));
}
