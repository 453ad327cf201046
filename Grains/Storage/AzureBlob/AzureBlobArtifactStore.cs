using System.Text;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace OrleansML.Storage.AzureBlob;

/// <summary>
/// Artifacts as block blobs in an Azure Blob Storage container. A write stages blocks of
/// <see cref="AzureBlobStoreOptions.BlockSize"/> (two held at most) under ids of its own and commits the block list
/// at the end, so the blob changes in one step and a failed write leaves only uncommitted blocks, which no reader
/// sees and the service discards. Reads stream in ranges pinned to the blob's ETag, so an overwrite during a read
/// fails the read instead of mixing two artifacts.
/// </summary>
public sealed class AzureBlobArtifactStore(BlobContainerClient container, AzureBlobStoreOptions options) : IArtifactStore
{
    private readonly string _prefix = options.Prefix.Trim('/');

    /// <summary>A store on the container <paramref name="options"/> names.</summary>
    public static AzureBlobArtifactStore Connect(AzureBlobStoreOptions options) =>
        new(CreateService(options).GetBlobContainerClient(options.Container), options);

    /// <summary>The account <paramref name="options"/> names, by connection string or Entra ID (the model repository reads with one too).</summary>
    public static BlobServiceClient CreateService(AzureBlobStoreOptions options) =>
        string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(new Uri(options.ServiceUri!), new DefaultAzureCredential())
            : new BlobServiceClient(options.ConnectionString);

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlockBlobClient(BlobName(key));
        var before = await ETagOfAsync(blob, key, cancellationToken);
        var write = Guid.NewGuid().ToString("N");
        var blocks = new List<string>();
        try
        {
            await StreamParts.ForEachAsync(content, options.BlockSize, async (index, part, last) =>
            {
                // Every id of a blob has one length; the write's own prefix keeps a concurrent writer's blocks apart.
                var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{write}-{index:D6}"));
                await blob.StageBlockAsync(id, new MemoryStream(part.Array!, part.Offset, part.Count, writable: false), cancellationToken: cancellationToken);
                blocks.Add(id);
            }, cancellationToken);
            await blob.CommitBlockListAsync(blocks, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception)
        {
            // Another writer that committed this blob while we staged discarded every uncommitted block, ours too.
            // That commit fell inside this write, so ordering this write just before it is a valid outcome: the blob
            // holds one whole artifact, the other writer's.
            if (exception.ErrorCode != BlobErrorCode.InvalidBlockList.ToString() || await ETagOfAsync(blob, key, CancellationToken.None) == before)
            {
                throw Failure($"write of '{key}'", exception);
            }
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await container.GetBlobClient(BlobName(key)).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.BlobNotFound.ToString())
        {
            return null;
        }
        catch (RequestFailedException exception)
        {
            throw Failure($"read of '{key}'", exception);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await container.GetBlobClient(BlobName(key)).ExistsAsync(cancellationToken);
        }
        catch (RequestFailedException exception)
        {
            throw Failure($"lookup of '{key}'", exception);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await container.GetBlobClient(BlobName(key)).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception)
        {
            throw Failure($"delete of '{key}'", exception);
        }
    }

    public async Task MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default)
    {
        var source = container.GetBlobClient(BlobName(fromKey));
        if (!await ExistsAsync(fromKey, cancellationToken))
        {
            throw new FileNotFoundException($"Artifact '{fromKey}' does not exist.", fromKey);
        }

        try
        {
            // A server-side copy: within one account it needs no other authorization and moves no bytes through here.
            var copy = await container.GetBlobClient(BlobName(toKey)).StartCopyFromUriAsync(source.Uri, cancellationToken: cancellationToken);
            await copy.WaitForCompletionAsync(cancellationToken);
            await source.DeleteAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception)
        {
            throw Failure($"move of '{fromKey}' to '{toKey}'", exception);
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        var probe = container.GetBlobClient(BlobName($".ready-{Guid.NewGuid():N}"));
        try
        {
            await probe.UploadAsync(BinaryData.FromString("ok"), cancellationToken);
            await probe.DeleteAsync(cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (exception is RequestFailedException or AuthenticationFailedException)
        {
            throw Failure("readiness probe (upload and delete of a probe blob)", exception);
        }
    }

    private async Task<ETag?> ETagOfAsync(BlockBlobClient blob, string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag;
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.BlobNotFound.ToString() || exception.Status == 404 && exception.ErrorCode is null)
        {
            return null;
        }
        catch (RequestFailedException exception)
        {
            throw Failure($"write of '{key}'", exception);
        }
    }

    private ArtifactStoreException Failure(string operation, Exception exception)
    {
        var reason = exception switch
        {
            RequestFailedException { ErrorCode: "ContainerNotFound" } => "the container does not exist",
            RequestFailedException { Status: 403 } denied =>
                $"access denied ({denied.ErrorCode}): check the credentials, SAS permissions and role assignments",
            RequestFailedException failed => $"{failed.ErrorCode} ({failed.Status}): {failed.Message.Split('\n')[0]}",
            _ => exception.Message,
        };
        return new ArtifactStoreException(
            $"Azure Blob artifact store: {operation} in container '{container.Name}' of account '{container.AccountName}' failed: {reason}.", exception);
    }

    private string BlobName(string key) => _prefix.Length == 0 ? key : $"{_prefix}/{key}";
}
