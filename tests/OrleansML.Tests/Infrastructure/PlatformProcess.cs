using System.Diagnostics;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// A built OrleansML host (Silo or Api) running as a real child process on loopback ports; disposing kills it.
/// The binaries come from the same configuration as the tests (tests/run-all.sh builds the whole solution).
/// </summary>
public sealed class PlatformProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly PlatformProcessOptions _options;
    private readonly System.Text.StringBuilder _fullOutput = new();

    private PlatformProcess(string project, string assembly, int httpPort, IEnumerable<string> arguments, PlatformProcessOptions? options)
    {
        HttpPort = httpPort;
        _options = options ?? new PlatformProcessOptions();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(BinaryOf(project, assembly));
        foreach (var argument in arguments.Concat(ListenArguments()).Concat(LogLevelArguments(_options.LogLevel)))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (name, value) in _options.Environment)
        {
            start.Environment[name] = value;
        }

        if (_options.Https is { } https)
        {
            // As a deployment would pass it: not on the command line, where any user of the machine can read it.
            start.Environment["Kestrel__Endpoints__Https__Certificate__Password"] = https.Password;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"{(_options.Https is null ? "http" : "https")}://127.0.0.1:{HttpPort}/");

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public Queue<string> Output { get; } = new();

    /// <summary>Everything the process printed on stdout and stderr so far, to search for what must not be logged.</summary>
    public string FullOutput
    {
        get
        {
            lock (Output)
            {
                return _fullOutput.ToString();
            }
        }
    }

    /// <summary>A silo configured the way Aspire.Hosting.Orleans configures one (the "Orleans" section).</summary>
    public static PlatformProcess Silo(IEnumerable<string> arguments, PlatformProcessOptions? options = null)
    {
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());
        return new("Silo", "OrleansML.Silo.dll", FreePort.Next(), arguments.Concat([
            "--Orleans:Endpoints:SiloPort", siloPort.ToString(), "--Orleans:Endpoints:GatewayPort", gatewayPort.ToString(),
            "--Orleans:Endpoints:AdvertisedIPAddress", "127.0.0.1"]), options)
        {
            SiloPort = siloPort,
            GatewayPort = gatewayPort,
        };
    }

    /// <summary>The silo-to-silo port of a silo process: its address is <c>127.0.0.1:{SiloPort}@generation</c>.</summary>
    public int SiloPort { get; private init; }

    /// <summary>The port Orleans clients connect to on a silo process.</summary>
    public int GatewayPort { get; private init; }

    /// <summary>
    /// The Api as a cluster client. It runs open (the explicit opt-out) unless the arguments configure credentials:
    /// these tests are about clustering; the security tests configure keys.
    /// </summary>
    public static PlatformProcess Api(IEnumerable<string> arguments, PlatformProcessOptions? options = null)
    {
        // gRPC on a free port of its own, not the shared default 8001 that parallel Api processes would fight over.
        var grpcPort = FreePort.Next();
        return new("Api", "OrleansML.Api.dll", FreePort.Next(), ["--OrleansML:Auth:AllowAnonymous", "true", "--OrleansML:Grpc:Url", $"http://127.0.0.1:{grpcPort}", .. arguments], options)
        {
            GrpcPort = grpcPort,
        };
    }

    /// <summary>The plain-text HTTP/2 (h2c) gRPC port of an Api process.</summary>
    public int GrpcPort { get; private init; }

    /// <summary>A client for the process's HTTP endpoint; over HTTPS it trusts exactly the process's certificate.</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout) =>
        new(_options.Https?.PinnedHandler() ?? new SocketsHttpHandler()) { BaseAddress = BaseAddress, Timeout = timeout };

    /// <summary>Polls /health/ready until it answers 200, within <paramref name="timeout"/>.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = CreateHttpClient(TimeSpan.FromSeconds(5));
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

    /// <summary>Waits for the process to end by itself (a failed startup) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"still running after {timeout}:\n{string.Join("\n", Output)}");
        }

        // The exit event can come before the last redirected lines; this overload waits for them.
        _process.WaitForExit();
        return _process.ExitCode;
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
            _fullOutput.AppendLine(line);
            Output.Enqueue(line);
            while (Output.Count > 40)
            {
                Output.Dequeue();
            }
        }
    }

    /// <summary>Plain HTTP on the process's port, or HTTPS through Kestrel's own endpoint configuration.</summary>
    private IEnumerable<string> ListenArguments()
    {
        if (_options.Https is not { } certificate)
        {
            return ["--urls", $"http://127.0.0.1:{HttpPort}"];
        }

        return ["--Kestrel:Endpoints:Https:Url", $"https://127.0.0.1:{HttpPort}", "--Kestrel:Endpoints:Https:Certificate:Path", certificate.PfxPath];
    }

    /// <summary>One level for every category, overriding the appsettings' per-category levels.</summary>
    private static IEnumerable<string> LogLevelArguments(string level) =>
        new[] { "Default", "Microsoft.AspNetCore", "Orleans", "Polly" }.SelectMany(category => new[] { $"--Logging:LogLevel:{category}", level });

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

/// <summary>How a test runs a platform process beyond its configuration arguments.</summary>
public sealed class PlatformProcessOptions
{
    /// <summary>Serve HTTPS with this certificate (Kestrel's endpoint configuration) instead of plain HTTP.</summary>
    public TestCertificate? Https { get; init; }

    /// <summary>Environment variables of the process: secrets, or <c>SSL_CERT_FILE</c> to trust a test CA.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Warning keeps the output short; Debug shows everything a secret could leak into.</summary>
    public string LogLevel { get; init; } = "Warning";
}
