namespace OrleansML.Storage;

/// <summary>Artifacts as files under the data directory (embedded mode).</summary>
public sealed class FileArtifactStore(string root) : IArtifactStore
{
    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = File.Create(temp))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // A write that failed leaves the previous artifact, and no partial file beside it.
            File.Delete(temp);
            throw;
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        // Deleting what is not there is a no-op, as in the Redis store: File.Delete alone throws when the folder is
        // missing (an attempt that died before it wrote anything).
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public Task MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default)
    {
        var target = PathOf(toKey);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(PathOf(fromKey), target, overwrite: true);
        return Task.CompletedTask;
    }

    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(root);
        var probe = Path.Combine(root, $".ready-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(probe, "ok", cancellationToken);
        File.Delete(probe);
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, key));
        if (!path.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Artifact key '{key}' leaves the artifact folder.", nameof(key));
        }

        return path;
    }
}
