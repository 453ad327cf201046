using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace OrleansML.Repository;

/// <summary>A repository under a prefix of an Azure Blob container (<c>az://container/prefix</c>), listed with GetBlobsAsync.</summary>
public sealed class AzureBlobRepositorySource(BlobContainerClient container, string prefix, string url) : IRepositorySource
{
    private readonly string _prefix = prefix.Trim('/') is { Length: > 0 } trimmed ? trimmed + "/" : "";

    public string Url => url;

    public async IAsyncEnumerable<RepositoryFile> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, _prefix, cancellationToken))
        {
            yield return new RepositoryFile(blob.Name[_prefix.Length..], blob.Properties.ContentLength ?? 0, blob.Properties.ETag?.ToString() ?? "");
        }
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        await container.GetBlobClient(_prefix + path).OpenReadAsync(cancellationToken: cancellationToken);
}
