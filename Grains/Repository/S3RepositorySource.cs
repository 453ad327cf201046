using Amazon.S3;
using Amazon.S3.Model;

namespace OrleansML.Repository;

/// <summary>A repository under a prefix of an S3-compatible bucket (<c>s3://bucket/prefix</c>), listed with ListObjectsV2.</summary>
public sealed class S3RepositorySource(IAmazonS3 s3, string bucket, string prefix, string url) : IRepositorySource, IDisposable
{
    private readonly string _prefix = prefix.Trim('/') is { Length: > 0 } trimmed ? trimmed + "/" : "";

    public string Url => url;

    public async IAsyncEnumerable<RepositoryFile> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = _prefix };
        await foreach (var item in s3.Paginators.ListObjectsV2(request).S3Objects.WithCancellation(cancellationToken))
        {
            if (!item.Key.EndsWith('/'))
            {
                yield return new RepositoryFile(item.Key[_prefix.Length..], item.Size ?? 0, item.ETag);
            }
        }
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        (await s3.GetObjectAsync(bucket, _prefix + path, cancellationToken)).ResponseStream;

    public void Dispose() => s3.Dispose();
}
