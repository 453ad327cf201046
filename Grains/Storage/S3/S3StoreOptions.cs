namespace OrleansML.Storage.S3;

/// <summary>
/// An S3-compatible bucket (<c>OrleansML:Storage:Artifacts:S3</c> or <c>...:Datasets:S3</c>). Credentials come from
/// the AWS SDK's standard chain (environment, profile, web identity, ECS/EC2 roles) unless an access key is given.
/// </summary>
public sealed class S3StoreOptions
{
    public const int MinPartSize = 5 << 20;

    /// <summary>The bucket; it must exist.</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Prefix of every object key, e.g. <c>orleansml/prod</c>; empty for the bucket's root.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Endpoint of a non-AWS server (MinIO, Ceph, GCS's S3 API, an emulator); unset for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>AWS region, e.g. <c>eu-west-1</c>; with <see cref="ServiceUrl"/>, the region requests are signed for.</summary>
    public string? Region { get; set; }

    /// <summary>Bucket in the path (<c>host/bucket/key</c>) instead of the host name; most non-AWS servers need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Static credentials (emulators, MinIO); leave unset in production to use the standard chain.</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Size of each multipart-upload part (at least 5 MiB); a write holds two parts in memory.</summary>
    public int PartSize { get; set; } = 16 << 20;

    /// <summary>Objects larger than this are moved by multipart copy; S3 copies at most 5 GiB in one request.</summary>
    public long MultipartCopyThreshold { get; set; } = 5L << 30;

    /// <summary>Size of each part of a multipart copy.</summary>
    public long CopyPartSize { get; set; } = 512L << 20;

    /// <summary>Throws when a required setting is missing or out of range, naming the configuration key.</summary>
    public void Validate(string section)
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            throw new InvalidOperationException($"{section}:S3:Bucket is required for the S3 artifact store.");
        }

        if (PartSize < MinPartSize || CopyPartSize < MinPartSize)
        {
            throw new InvalidOperationException($"{section}:S3:PartSize and CopyPartSize must be at least 5 MiB (S3's smallest part).");
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            throw new InvalidOperationException($"{section}:S3:AccessKey and SecretKey go together.");
        }
    }
}
