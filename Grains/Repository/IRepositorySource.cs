namespace OrleansML.Repository;

/// <summary>
/// Where a model repository lives (a folder, an S3 bucket prefix, an Azure Blob container prefix): a listing of its
/// files and a way to read one. The artifact store has no listing; this seam is the repository's alone.
/// </summary>
public interface IRepositorySource
{
    /// <summary>The repository's URL as configured, for status and logs.</summary>
    string Url { get; }

    /// <summary>Every file under the repository, with paths relative to it ('/'-separated). Throws when it cannot be listed.</summary>
    IAsyncEnumerable<RepositoryFile> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a listed file for reading.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);
}

/// <summary>
/// One file of a repository: its path relative to the repository, its size, and a token that changes whenever its
/// bytes do (an ETag, or a file's size and write time).
/// </summary>
public sealed record RepositoryFile(string Path, long Size, string ChangeToken);
