using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansML.Bench;

/// <summary>The built Api (Release) as a child process in embedded mode on free loopback ports, with a fresh data directory.</summary>
public sealed class EmbeddedApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"orleansml-bench-{Guid.NewGuid():N}");

    public EmbeddedApiProcess(string repositoryRoot)
    {
        var dll = Path.Combine(repositoryRoot, "Api", "bin", "Release", "net10.0", "linux-x64", "OrleansML.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the solution in Release first: dotnet build -c Release ({dll} is missing).");
        }

        HttpPort = FreePort();
        GatewayPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, "--urls", $"http://127.0.0.1:{HttpPort}",
                "--OrleansML:DataDirectory", _data, "--OrleansML:Device", "cpu",
                "--OrleansML:SiloPort", FreePort().ToString(), "--OrleansML:GatewayPort", GatewayPort.ToString(),
                "--Logging:LogLevel:Default", "Warning",
                // Production without credentials refuses to start; the benchmark measures serving, not auth.
                "--OrleansML:Auth:AllowAnonymous", "true",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[api] {e.Data}"); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public int GatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    public async Task WaitReadyAsync(HttpClient http)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                if ((await http.GetAsync("health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The Api did not become ready within 90 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
