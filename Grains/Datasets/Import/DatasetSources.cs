using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.FileSystemGlobbing;
using Microsoft.Extensions.Options;
using OrleansML.Errors;
using OrleansML.Storage;
using OrleansML.Storage.S3;

namespace OrleansML.Datasets.Import;

/// <summary>
/// Lists and opens the Parquet files of an import URL on the silo that reads them: <c>file://</c> under the
/// configured <see cref="DatasetImportOptions.FileRoots"/>, <c>s3://</c> through the configured endpoint. Store
/// refusals (no such bucket, access denied, a root not allowed) become errors naming the store and the operation.
/// </summary>
public sealed class DatasetSources(IOptions<DatasetImportOptions> options) : IDisposable
{
    private readonly Lazy<AmazonS3Client> _s3 = new(() => S3ArtifactStore.CreateClient(options.Value.S3));

    /// <summary>The file URLs <paramref name="url"/> matches, in ordinal order; none is a 400 naming the pattern.</summary>
    public async Task<string[]> ListAsync(SourceUrl url, CancellationToken cancellationToken = default)
    {
        var files = url.Scheme == "file" ? ListFiles(url) : await ListObjectsAsync(url, cancellationToken);
        if (files.Length == 0)
        {
            throw PlatformException.Invalid($"{SourceUrl.Quote(url.Original)} matches no Parquet files.");
        }

        return files;
    }

    /// <summary>Opens one listed file for reading; the stream seeks (an S3 object is fetched to a temporary file first).</summary>
    public async Task<Stream> OpenAsync(string fileUrl, CancellationToken cancellationToken = default)
    {
        var url = SourceUrl.Parse(fileUrl);
        if (url.Scheme == "file")
        {
            var path = Allowed(url.Prefix, fileUrl);
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw PlatformException.Invalid($"reading {SourceUrl.Quote(fileUrl)} failed: {exception.Message}");
            }
        }

        var spooled = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            using var response = await S3Async("read", url, () => _s3.Value.GetObjectAsync(url.Container, url.Prefix, cancellationToken));
            await response.ResponseStream.CopyToAsync(spooled, cancellationToken);
            spooled.Position = 0;
            return spooled;
        }
        catch
        {
            await spooled.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The store rooted at the folder or prefix <paramref name="url"/> names, for writing files there (a scoring job's
    /// Parquet output); <c>file://</c> only under the configured roots, and no glob.
    /// </summary>
    public IArtifactStore Store(string? url)
    {
        var parsed = SourceUrl.Parse(url);
        if (parsed.Glob is not null)
        {
            throw PlatformException.Invalid($"{SourceUrl.Quote(parsed.Original)} has a glob; name the folder or prefix to write under.");
        }

        return parsed.Scheme == "file"
            ? new FileArtifactStore(Path.TrimEndingDirectorySeparator(Allowed(parsed.Prefix, parsed.Original)))
            : new S3ArtifactStore(_s3.Value, new S3StoreOptions { Bucket = parsed.Container, Prefix = parsed.Prefix });
    }

    public void Dispose()
    {
        if (_s3.IsValueCreated)
        {
            _s3.Value.Dispose();
        }
    }

    private string[] ListFiles(SourceUrl url)
    {
        var root = Allowed(url.Prefix, url.Original);
        if (url.Glob is null && File.Exists(root))
        {
            return [new Uri(root).AbsoluteUri];
        }

        if (!Directory.Exists(root))
        {
            return [];
        }

        var matcher = new Matcher(StringComparison.Ordinal).AddInclude(url.Glob ?? "**/*.parquet");
        return matcher.GetResultsInFullPath(root).Order(StringComparer.Ordinal).Select(p => new Uri(p).AbsoluteUri).ToArray();
    }

    private async Task<string[]> ListObjectsAsync(SourceUrl url, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = url.Container, Prefix = url.Prefix };
        do
        {
            var page = await S3Async("listing", url, () => _s3.Value.ListObjectsV2Async(request, cancellationToken));
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        var (prefix, glob) = url.Glob is { } pattern
            ? (url.Prefix, pattern)
            : keys.Contains(url.Prefix) ? (url.Prefix, "") : (url.Prefix.Length == 0 || url.Prefix.EndsWith('/') ? url.Prefix : url.Prefix + "/", "**/*.parquet");
        var matched = glob.Length == 0
            ? [url.Prefix]
            : new Matcher(StringComparison.Ordinal).AddInclude(glob)
                .Match(keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]))
                .Files.Select(f => prefix + f.Path);
        return matched.Order(StringComparer.Ordinal).Select(k => $"s3://{url.Container}/{k}").ToArray();
    }

    /// <summary>The full path of <paramref name="path"/> when it lies under a configured root; a 400 naming the roots otherwise.</summary>
    private string Allowed(string path, string original)
    {
        var full = Path.GetFullPath(path.Length == 0 ? "/" : path);
        var roots = options.Value.FileRoots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).ToArray();
        if (!roots.Any(r => full == r || full.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            throw PlatformException.Invalid(roots.Length == 0
                ? $"file:// imports are off on this cluster ({SourceUrl.Quote(original)}); set {DatasetImportOptions.SectionName}:FileRoots to allow folders."
                : $"{SourceUrl.Quote(original)} is not under a folder file:// imports may read ({DatasetImportOptions.SectionName}:FileRoots).");
        }

        return full;
    }

    private static async Task<T> S3Async<T>(string operation, SourceUrl url, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode == "NoSuchBucket")
        {
            throw PlatformException.NotFound($"S3 {operation} of {SourceUrl.Quote(url.Original)} failed: bucket '{url.Container}' does not exist.");
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode == "NoSuchKey")
        {
            throw PlatformException.NotFound($"S3 {operation} of {SourceUrl.Quote(url.Original)} failed: the object is gone from bucket '{url.Container}'.");
        }
        catch (AmazonServiceException exception)
        {
            throw PlatformException.Invalid($"S3 {operation} of {SourceUrl.Quote(url.Original)} in bucket '{url.Container}' was refused: {exception.ErrorCode ?? exception.StatusCode.ToString()} ({exception.Message}).");
        }
    }
}
