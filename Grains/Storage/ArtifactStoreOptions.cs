using OrleansML.Storage.AzureBlob;
using OrleansML.Storage.S3;

namespace OrleansML.Storage;

/// <summary>
/// One store's configuration (<c>OrleansML:Storage:Artifacts</c> or <c>OrleansML:Storage:Datasets</c>): its kind and
/// the section of that kind.
/// </summary>
public sealed class ArtifactStoreOptions
{
    /// <summary>
    /// The store's kind. Unset: artifacts use the mode's default (embedded: files, cluster: Redis), and datasets use
    /// the artifact store itself.
    /// </summary>
    public ArtifactStoreKind? Kind { get; set; }

    /// <summary>The file store's folder; default <c>&lt;DataDirectory&gt;/artifacts</c>.</summary>
    public string? Path { get; set; }

    public S3StoreOptions S3 { get; set; } = new();

    public AzureBlobStoreOptions AzureBlob { get; set; } = new();
}

/// <summary>The <c>OrleansML:Storage</c> section: a store for model artifacts and one for datasets.</summary>
public sealed class StorageOptions
{
    /// <summary>Model weights, staged uploads, training checkpoints.</summary>
    public ArtifactStoreOptions Artifacts { get; set; } = new();

    /// <summary>Dataset partitions, scoring output.</summary>
    public ArtifactStoreOptions Datasets { get; set; } = new();
}
