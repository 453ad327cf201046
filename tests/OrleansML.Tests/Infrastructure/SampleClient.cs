using System.Diagnostics;

namespace OrleansML.Tests.Infrastructure;

/// <summary>Runs the built samples/ClusterClient as another .NET service would run it, to its end.</summary>
public static class SampleClient
{
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Binary());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Binary()
    {
        var testBin = AppContext.BaseDirectory;
        var configuration = testBin.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var root = new DirectoryInfo(testBin);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrleansML.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root!.FullName, "samples", "ClusterClient", "bin", configuration, "net10.0", "OrleansML.Samples.ClusterClient.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution first.");
    }
}
