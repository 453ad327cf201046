namespace OrleansML.Storage;

/// <summary>Where a store keeps its artifacts.</summary>
public enum ArtifactStoreKind
{
    /// <summary>Files under a folder (the embedded default).</summary>
    File,

    /// <summary>Chunked values in the cluster's Redis (the cluster default; for small deployments).</summary>
    Redis,

    /// <summary>An S3-compatible bucket: AWS S3, MinIO, Ceph, GCS's S3 API.</summary>
    S3,

    /// <summary>An Azure Blob Storage container.</summary>
    AzureBlob,
}
