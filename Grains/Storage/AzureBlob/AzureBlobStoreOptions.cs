namespace OrleansML.Storage.AzureBlob;

/// <summary>
/// An Azure Blob Storage container (<c>OrleansML:Storage:Artifacts:AzureBlob</c> or <c>...:Datasets:AzureBlob</c>):
/// reached by a connection string (account key or SAS), or by <see cref="ServiceUri"/> with DefaultAzureCredential
/// (managed identity, workload identity, environment, Azure CLI).
/// </summary>
public sealed class AzureBlobStoreOptions
{
    /// <summary>A storage connection string; takes precedence over <see cref="ServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account's blob endpoint, e.g. <c>https://account.blob.core.windows.net</c>, for Entra ID sign-in.</summary>
    public string? ServiceUri { get; set; }

    /// <summary>The container; it must exist.</summary>
    public string Container { get; set; } = "";

    /// <summary>Prefix of every blob name, e.g. <c>orleansml/prod</c>; empty for the container's root.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Size of each staged block; a write holds two blocks in memory.</summary>
    public int BlockSize { get; set; } = 16 << 20;

    /// <summary>Throws when a required setting is missing, naming the configuration key.</summary>
    public void Validate(string section)
    {
        if (string.IsNullOrWhiteSpace(Container))
        {
            throw new InvalidOperationException($"{section}:AzureBlob:Container is required for the Azure Blob artifact store.");
        }

        if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(ServiceUri))
        {
            throw new InvalidOperationException($"{section}:AzureBlob needs a ConnectionString or a ServiceUri.");
        }

        if (BlockSize < 1 << 20)
        {
            throw new InvalidOperationException($"{section}:AzureBlob:BlockSize must be at least 1 MiB.");
        }
    }
}
