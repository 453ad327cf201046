using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansML.Bench;

/// <summary>
/// The built Api (Release) as a child process in embedded mode on free loopback ports, with the data directory and
/// store settings it is given; killed on dispose (the data directory stays: the next process reads it).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiProcess(Process process, int port)
    {
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public HttpClient Http { get; }

    /// <summary>Starts the process; the clock of a cold start begins right before this call.</summary>
    public static ApiProcess Start(string dll, string dataDirectory, IEnumerable<string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
        };
        foreach (var argument in new[]
        {
            dll, "--urls", $"http://127.0.0.1:{port}", "--OrleansML:DataDirectory", dataDirectory, "--OrleansML:Device", "cpu",
            "--OrleansML:SiloPort", FreePort().ToString(), "--OrleansML:GatewayPort", FreePort().ToString(),
            "--Logging:LogLevel:Default", "Warning", "--OrleansML:Auth:AllowAnonymous", "true",
        }.Concat(settings))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[api] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ApiProcess(process, port);
    }

    /// <summary>Polls /health/ready (every 20 ms, so the poll adds at most that to the figure) until it answers 200.</summary>
    public async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Api exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                if ((await Http.GetAsync("health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The Api did not become ready within 120 s.");
    }

    /// <summary>The process's peak resident set so far (VmHWM), in KiB.</summary>
    public long PeakRssKb() =>
        File.ReadLines($"/proc/{_process.Id}/status")
            .Where(line => line.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]))
            .Single();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
