using OrleansML.Storage.AzureBlob;
using OrleansML.Storage.S3;

namespace OrleansML.Repository;

/// <summary>
/// The <c>OrleansML:Repository</c> section: a watched model repository laid out <c>&lt;model&gt;/&lt;version&gt;/&lt;file&gt;</c>,
/// as Triton's <c>--model-repository</c> and TF Serving's file-system polling.
/// </summary>
public sealed class RepositoryOptions
{
    public const string SectionName = "OrleansML:Repository";

    /// <summary><c>file:///path</c>, <c>s3://bucket/prefix</c> or <c>az://container/prefix</c>; empty (the default) watches nothing.</summary>
    public string Url { get; set; } = "";

    /// <summary>How often the repository is listed.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How to reach an <c>s3://</c> repository (ServiceUrl, Region, ForcePathStyle, AccessKey, SecretKey); bucket and prefix come from the URL.</summary>
    public S3StoreOptions S3 { get; set; } = new();

    /// <summary>How to reach an <c>az://</c> repository (ConnectionString or ServiceUri); container and prefix come from the URL.</summary>
    public AzureBlobStoreOptions AzureBlob { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Throws at startup, naming the key, when the settings cannot describe a repository.</summary>
    public Uri Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("file" or "s3" or "az"))
        {
            throw new InvalidOperationException($"{SectionName}:Url is '{Url}'; use file:///path, s3://bucket/prefix or az://container/prefix.");
        }

        if (uri.Scheme != "file" && string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException($"{SectionName}:Url '{Url}' names no {(uri.Scheme == "s3" ? "bucket" : "container")}.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:PollInterval must be positive (got {PollInterval}).");
        }

        if (uri.Scheme == "az" && string.IsNullOrWhiteSpace(AzureBlob.ConnectionString) && string.IsNullOrWhiteSpace(AzureBlob.ServiceUri))
        {
            throw new InvalidOperationException($"{SectionName}:AzureBlob needs a ConnectionString or a ServiceUri for an az:// repository.");
        }

        return uri;
    }
}
