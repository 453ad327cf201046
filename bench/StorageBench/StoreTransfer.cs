using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansML.Hosting;
using OrleansML.Storage;

namespace OrleansML.Bench;

/// <summary>
/// Upload and download throughput of one store as the platform builds it (AddOrleansMLCore from the same settings a
/// silo reads): WriteAsync from a file stream, then OpenReadAsync drained, both timed. The artifact stays, so the
/// cold start that follows reads the same bytes from the store.
/// </summary>
public static class StoreTransfer
{
    public static async Task<int> RunAsync(string file, string key, string[] settings)
    {
        await using var provider = Store(settings, out var kind);
        var store = provider.GetRequiredService<IArtifactStore>();
        await store.CheckAsync();

        var size = new FileInfo(file).Length;
        var clock = Stopwatch.StartNew();
        await using (var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
        {
            await store.WriteAsync(key, content);
        }

        new Measurement(kind, "upload", size, clock.Elapsed.TotalSeconds).Print();

        clock.Restart();
        long read = 0;
        await using (var stream = await store.OpenReadAsync(key) ?? throw new InvalidOperationException($"'{key}' is missing right after its write."))
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                read += n;
            }
        }

        new Measurement(kind, "download", read, clock.Elapsed.TotalSeconds).Print();
        if (read != size)
        {
            Console.Error.WriteLine($"{kind}: read {read} bytes back, wrote {size}.");
            return 1;
        }

        return 0;
    }

    public static async Task<int> DeleteAsync(string key, string[] settings)
    {
        await using var provider = Store(settings, out _);
        await provider.GetRequiredService<IArtifactStore>().DeleteAsync(key);
        return 0;
    }

    private static ServiceProvider Store(string[] settings, out string kind)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(settings).Build();
        var services = new ServiceCollection();
        var options = services.AddOrleansMLCore(configuration);
        kind = options.Storage.Artifacts.Kind?.ToString() ?? "File";
        return services.BuildServiceProvider();
    }
}
