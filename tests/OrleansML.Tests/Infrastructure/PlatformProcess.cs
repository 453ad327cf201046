using System.Diagnostics;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// A built OrleansML host (Silo or Api) running as a real child process on loopback ports; disposing kills it.
/// The binaries come from the same configuration as the tests (tests/run-all.sh builds the whole solution).
/// </summary>
public sealed class PlatformProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PlatformProcess(string project, string assembly, int httpPort, IEnumerable<string> arguments)
    {
        HttpPort = httpPort;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(BinaryOf(project, assembly));
        foreach (var argument in arguments.Concat(["--urls", $"http://127.0.0.1:{httpPort}", "--Logging:LogLevel:Default", "Warning"]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public Queue<string> Output { get; } = new();

    /// <summary>A silo configured the way Aspire.Hosting.Orleans configures one (the "Orleans" section).</summary>
    public static PlatformProcess Silo(IEnumerable<string> arguments)
    {
        var siloPort = FreePort.Next();
        return new("Silo", "OrleansML.Silo.dll", FreePort.Next(), arguments.Concat([
            "--Orleans:Endpoints:SiloPort", siloPort.ToString(), "--Orleans:Endpoints:GatewayPort", FreePort.Next().ToString(),
            "--Orleans:Endpoints:AdvertisedIPAddress", "127.0.0.1"]))
        {
            SiloPort = siloPort,
        };
    }

    /// <summary>The silo-to-silo port of a silo process: its address is <c>127.0.0.1:{SiloPort}@generation</c>.</summary>
    public int SiloPort { get; private init; }

    /// <summary>
    /// The Api as a cluster client. It runs open (the explicit opt-out) unless the arguments configure credentials:
    /// these tests are about clustering; the security tests configure keys.
    /// </summary>
    public static PlatformProcess Api(IEnumerable<string> arguments) =>
        new("Api", "OrleansML.Api.dll", FreePort.Next(), ["--OrleansML:Auth:AllowAnonymous", "true", .. arguments]);

    /// <summary>Polls /health/ready until it answers 200, within <paramref name="timeout"/>.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process exited with {_process.ExitCode}:\n{string.Join("\n", Output)}");
            }

            try
            {
                if ((await http.GetAsync("health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"not ready within {timeout}:\n{string.Join("\n", Output)}");
    }

    /// <summary>kill -9: no graceful shutdown, as when a machine dies.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a process: a silo leaves the cluster cleanly. Killed after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await term.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (Output)
        {
            Output.Enqueue(line);
            while (Output.Count > 40)
            {
                Output.Dequeue();
            }
        }
    }

    private static string BinaryOf(string project, string assembly)
    {
        var testBin = AppContext.BaseDirectory;
        var configuration = testBin.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var root = new DirectoryInfo(testBin);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrleansML.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root!.FullName, project, "bin", configuration, "net10.0", "linux-x64", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution first (tests/run-all.sh does).");
    }
}
