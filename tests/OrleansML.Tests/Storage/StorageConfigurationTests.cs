using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Hosting;
using OrleansML.Storage;
using OrleansML.Storage.S3;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Storage;

public sealed class StorageConfigurationTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Fact]
    public void By_default_embedded_mode_keeps_artifacts_in_files_and_datasets_with_them()
    {
        using var services = Build(new() { ["OrleansML:DataDirectory"] = _folder.Path });

        var artifacts = services.GetRequiredService<IArtifactStore>();

        Assert.IsType<FileArtifactStore>(artifacts);
        Assert.True(Assert.IsType<DatasetStore>(services.GetRequiredService<IDatasetStore>()).Shares(artifacts));
    }

    [Fact]
    public async Task Artifacts_and_datasets_each_go_to_the_store_their_section_chooses()
    {
        var datasets = Path.Combine(_folder.Path, "lake");
        using var services = Build(new()
        {
            ["OrleansML:DataDirectory"] = _folder.Path,
            ["OrleansML:Storage:Artifacts:Kind"] = "S3",
            ["OrleansML:Storage:Artifacts:S3:Bucket"] = "models",
            ["OrleansML:Storage:Artifacts:S3:ServiceUrl"] = "http://127.0.0.1:1",
            ["OrleansML:Storage:Datasets:Kind"] = "File",
            ["OrleansML:Storage:Datasets:Path"] = datasets,
        });

        Assert.IsType<S3ArtifactStore>(services.GetRequiredService<IArtifactStore>());
        await services.GetRequiredService<IDatasetStore>().WriteAsync("datasets/d/part-00000", new MemoryStream([1, 2, 3]));

        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(Path.Combine(datasets, "datasets", "d", "part-00000")));
    }

    [Fact]
    public void A_bucket_store_without_its_bucket_fails_at_startup_naming_the_setting()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Build(new()
        {
            ["OrleansML:Storage:Datasets:Kind"] = "AzureBlob",
            ["OrleansML:Storage:Datasets:AzureBlob:ConnectionString"] = "UseDevelopmentStorage=true",
        }));

        Assert.Contains("OrleansML:Storage:Datasets:AzureBlob:Container", failure.Message);
    }

    public void Dispose() => _folder.Dispose();

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddOrleansMLCore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
