using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansML.Serving;
using OrleansML.Storage;
using OrleansML.Torch;
using TorchSharp;

namespace OrleansML.Tests.Infrastructure;

/// <summary>Stages freshly initialised native weights in a cluster's artifact store, ready for AddVersionAsync.</summary>
public static class NativeVersions
{
    private static readonly Lock SeedLock = new();

    public static Task<NewModelVersion> StageAsync(ClusterFixture fixture, ArchitectureSpec architecture, int seed) =>
        StageAsync(fixture.Cluster, architecture, seed);

    public static async Task<NewModelVersion> StageAsync(InProcessTestCluster cluster, ArchitectureSpec architecture, int seed)
    {
        byte[] weights;
        lock (SeedLock)
        {
            torch.manual_seed(seed);
            using var module = ArchitectureBuilder.Build(architecture);
            weights = ModelArtifacts.SaveNative(module);
        }

        var staging = $"staging/{Guid.NewGuid():N}";
        var artifacts = cluster.Silos[0].ServiceProvider.GetRequiredService<IArtifactStore>();
        await artifacts.WriteAsync(staging, new MemoryStream(weights));
        return new NewModelVersion { StagingKey = staging, Format = ModelFormat.Native, Architecture = architecture };
    }

    /// <summary>Flips a byte of a stored version's weights on disk, so its SHA-256 no longer matches and it fails to load.</summary>
    public static async Task CorruptAsync(ClusterFixture fixture, ModelVersionInfo version)
    {
        var path = Path.Combine(fixture.DataDirectory, "artifacts", version.ArtifactKey);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^10] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
    }
}
