using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace OrleansML.Storage.S3;

/// <summary>
/// Artifacts as objects in an S3-compatible bucket. Writes go up in parts of <see cref="S3StoreOptions.PartSize"/>
/// (one PutObject when the artifact fits in one part, a multipart upload otherwise), so a node holds two parts of an
/// artifact at most; S3 makes an object visible only when its upload completes, and a failed write aborts its
/// multipart upload, so readers see the previous object or none, never a part of one. Reads stream the response.
/// </summary>
public sealed class S3ArtifactStore(IAmazonS3 s3, S3StoreOptions options) : IArtifactStore, IDisposable
{
    private readonly string _prefix = options.Prefix.Trim('/');

    /// <summary>A store with its own client, configured from <paramref name="options"/>.</summary>
    public static S3ArtifactStore Connect(S3StoreOptions options) => new(CreateClient(options), options);

    /// <summary>A client for the endpoint, region and credentials of <paramref name="options"/> (its bucket aside; the model repository and dataset imports read with one too).</summary>
    public static AmazonS3Client CreateClient(S3StoreOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.ForcePathStyle };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
            // S3-compatible servers differ in which of the SDK's default CRC checksums they accept (older MinIO and
            // GCS refuse the trailing ones): send them only where S3 requires them. The platform checks every model's
            // SHA-256 end to end when it loads it.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else if (!string.IsNullOrEmpty(options.Region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        // Each part is in memory already, so requests sign its SHA-256 instead of framing it in signed chunks
        // (aws-chunked), which some S3-compatible servers refuse and which costs a pass over every byte either way.
        var objectKey = ObjectKey(key);
        string? uploadId = null;
        var parts = new List<PartETag>();
        try
        {
            await StreamParts.ForEachAsync(content, options.PartSize, async (index, part, last) =>
            {
                if (index == 0 && last)
                {
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = objectKey, InputStream = AsStream(part), UseChunkEncoding = false }, cancellationToken);
                    return;
                }

                uploadId ??= (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = options.Bucket, Key = objectKey }, cancellationToken)).UploadId;
                var uploaded = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = options.Bucket,
                    Key = objectKey,
                    UploadId = uploadId,
                    PartNumber = index + 1,
                    InputStream = AsStream(part),
                    PartSize = part.Count,
                    IsLastPart = last,
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(uploaded));
            }, cancellationToken);

            if (uploadId is not null)
            {
                await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
                {
                    BucketName = options.Bucket, Key = objectKey, UploadId = uploadId, PartETags = parts,
                }, cancellationToken);
            }
        }
        catch (Exception exception)
        {
            var leftover = uploadId is null ? null : await AbortAsync(objectKey, uploadId);
            throw exception is AmazonServiceException ? Failure($"write of '{key}'", exception, leftover) : exception;
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await s3.GetObjectAsync(options.Bucket, ObjectKey(key), cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode == "NoSuchKey")
        {
            return null;
        }
        catch (AmazonServiceException exception)
        {
            throw Failure($"read of '{key}'", exception);
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        await SizeOfAsync(key, cancellationToken) is not null;

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await s3.DeleteObjectAsync(options.Bucket, ObjectKey(key), cancellationToken);
        }
        catch (AmazonServiceException exception)
        {
            throw Failure($"delete of '{key}'", exception);
        }
    }

    public async Task MoveAsync(string fromKey, string toKey, CancellationToken cancellationToken = default)
    {
        var size = await SizeOfAsync(fromKey, cancellationToken)
            ?? throw new FileNotFoundException($"Artifact '{fromKey}' does not exist.", fromKey);
        try
        {
            if (size <= options.MultipartCopyThreshold)
            {
                await s3.CopyObjectAsync(new CopyObjectRequest
                {
                    SourceBucket = options.Bucket, SourceKey = ObjectKey(fromKey), DestinationBucket = options.Bucket, DestinationKey = ObjectKey(toKey),
                }, cancellationToken);
            }
            else
            {
                await CopyInPartsAsync(ObjectKey(fromKey), ObjectKey(toKey), size, cancellationToken);
            }

            await s3.DeleteObjectAsync(options.Bucket, ObjectKey(fromKey), cancellationToken);
        }
        catch (AmazonServiceException exception)
        {
            throw Failure($"move of '{fromKey}' to '{toKey}'", exception);
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        var probe = ObjectKey($".ready-{Guid.NewGuid():N}");
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = options.Bucket, Key = probe, ContentBody = "ok" }, cancellationToken);
            await s3.DeleteObjectAsync(options.Bucket, probe, cancellationToken);
        }
        catch (Exception exception) when (exception is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw Failure("readiness probe (PutObject and DeleteObject of a probe object)", exception);
        }
    }

    public void Dispose() => s3.Dispose();

    private async Task<long?> SizeOfAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await s3.GetObjectMetadataAsync(options.Bucket, ObjectKey(key), cancellationToken)).ContentLength;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonServiceException exception)
        {
            throw Failure($"lookup of '{key}'", exception);
        }
    }

    /// <summary>Copies an object too large for CopyObject (over 5 GiB) in ranges, server side.</summary>
    private async Task CopyInPartsAsync(string source, string target, long size, CancellationToken cancellationToken)
    {
        var uploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = options.Bucket, Key = target }, cancellationToken)).UploadId;
        try
        {
            var parts = new List<PartETag>();
            for (long first = 0; first < size; first += options.CopyPartSize)
            {
                var copied = await s3.CopyPartAsync(new CopyPartRequest
                {
                    SourceBucket = options.Bucket,
                    SourceKey = source,
                    DestinationBucket = options.Bucket,
                    DestinationKey = target,
                    UploadId = uploadId,
                    PartNumber = parts.Count + 1,
                    FirstByte = first,
                    LastByte = Math.Min(first + options.CopyPartSize, size) - 1,
                }, cancellationToken);
                parts.Add(new PartETag(copied));
            }

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = options.Bucket, Key = target, UploadId = uploadId, PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await AbortAsync(target, uploadId);
            throw;
        }
    }

    /// <summary>
    /// Drops an unfinished upload's parts. Best effort: when even this fails (the credentials that failed the upload
    /// fail the abort too), the parts stay invisible and a bucket lifecycle rule (AbortIncompleteMultipartUpload)
    /// removes them; the returned sentence says so, for the write's error.
    /// </summary>
    private async Task<string?> AbortAsync(string objectKey, string uploadId)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(options.Bucket, objectKey, uploadId, CancellationToken.None);
            return null;
        }
        catch (AmazonServiceException exception)
        {
            return $"aborting its multipart upload '{uploadId}' failed too ({exception.ErrorCode}): its parts stay invisible until " +
                "the bucket's AbortIncompleteMultipartUpload lifecycle rule removes them";
        }
    }

    private ArtifactStoreException Failure(string operation, Exception exception, string? leftover = null)
    {
        var reason = exception switch
        {
            AmazonS3Exception { ErrorCode: "NoSuchBucket" } => "the bucket does not exist",
            AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } denied =>
                $"access denied ({denied.ErrorCode}): check the credentials and the bucket's policy",
            AmazonServiceException service => $"{service.ErrorCode} ({(int)service.StatusCode}): {service.Message}",
            _ => exception.Message,
        };
        var endpoint = options.ServiceUrl ?? $"AWS {options.Region ?? "(default region)"}";
        var after = leftover is null ? "" : $"; {leftover}";
        return new ArtifactStoreException($"S3 artifact store: {operation} in bucket '{options.Bucket}' at {endpoint} failed: {reason}{after}.", exception);
    }

    private string ObjectKey(string key) => _prefix.Length == 0 ? key : $"{_prefix}/{key}";

    private static MemoryStream AsStream(ArraySegment<byte> part) => new(part.Array!, part.Offset, part.Count, writable: false);
}
