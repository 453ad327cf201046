using Microsoft.Extensions.DependencyInjection;
using OrleansML.Storage.AzureBlob;
using OrleansML.Storage.S3;
using StackExchange.Redis;

namespace OrleansML.Storage;

/// <summary>Builds the store that a section of <c>OrleansML:Storage</c> configures.</summary>
public static class ArtifactStores
{
    /// <summary>Throws at startup, naming the key, when the section lacks what its kind needs.</summary>
    public static void Validate(ArtifactStoreKind kind, ArtifactStoreOptions options, string section)
    {
        switch (kind)
        {
            case ArtifactStoreKind.S3:
                options.S3.Validate(section);
                break;
            case ArtifactStoreKind.AzureBlob:
                options.AzureBlob.Validate(section);
                break;
        }
    }

    /// <summary>The store of <paramref name="kind"/>; <paramref name="defaultFolder"/> is the file store's folder when the section names none.</summary>
    public static IArtifactStore Create(ArtifactStoreKind kind, ArtifactStoreOptions options, string defaultFolder, IServiceProvider services) =>
        kind switch
        {
            ArtifactStoreKind.File => new FileArtifactStore(string.IsNullOrWhiteSpace(options.Path) ? defaultFolder : Path.GetFullPath(options.Path)),
            ArtifactStoreKind.Redis => new RedisArtifactStore(services.GetRequiredService<IConnectionMultiplexer>()),
            ArtifactStoreKind.S3 => S3ArtifactStore.Connect(options.S3),
            ArtifactStoreKind.AzureBlob => AzureBlobArtifactStore.Connect(options.AzureBlob),
            _ => throw new InvalidOperationException($"Unknown artifact store kind '{kind}'."),
        };
}
