using OrleansML.Storage.AzureBlob;
using OrleansML.Storage.S3;

namespace OrleansML.Repository;

/// <summary>Builds the source a repository URL names.</summary>
public static class RepositorySources
{
    public static IRepositorySource Create(RepositoryOptions options)
    {
        var uri = options.Validate();
        var prefix = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        return uri.Scheme switch
        {
            "file" => new FileRepositorySource(Path.GetFullPath(uri.LocalPath), options.Url),
            "s3" => new S3RepositorySource(S3ArtifactStore.CreateClient(options.S3), uri.Host, prefix, options.Url),
            _ => new AzureBlobRepositorySource(AzureBlobArtifactStore.CreateService(options.AzureBlob).GetBlobContainerClient(uri.Host), prefix, options.Url),
        };
    }
}
