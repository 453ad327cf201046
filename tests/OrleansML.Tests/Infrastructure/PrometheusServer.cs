using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>) on a free loopback port with a throwaway TSDB and the
/// scrape configuration a test gives it; killed (and its folder deleted) on dispose. tests/run-all.sh installs it.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly HttpClient _http;

    private PrometheusServer(string scrapeConfigs)
    {
        var config = Path.Combine(_folder.Path, "prometheus.yml");
        File.WriteAllText(config, $"global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n{scrapeConfigs}");
        var start = new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_folder.Path, "data")}",
                $"--web.listen-address=127.0.0.1:{Port}", "--log.level=warn",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            _folder.Dispose();
            throw new InvalidOperationException("prometheus is not installed; run tests/run-all.sh, or apt-get install prometheus.", exception);
        }

        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public int Port { get; } = FreePort.Next();

    /// <summary>The last lines Prometheus logged, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts Prometheus with <paramref name="scrapeConfigs"/> (YAML list items under <c>scrape_configs:</c>) and waits until it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(string scrapeConfigs)
    {
        var server = new PrometheusServer(scrapeConfigs);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(server._process.HasExited, $"prometheus exited:\n{server.Output}");
                try
                {
                    if ((await server._http.GetAsync("-/ready")).IsSuccessStatusCode)
                    {
                        return server;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"prometheus not ready within 30 s:\n{server.Output}");
                await Task.Delay(100);
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An instant query's result: each series' labels and value (an empty list while nothing matches).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        var answer = await _http.GetFromJsonAsync<JsonElement>($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        Assert.Equal("success", answer.GetProperty("status").GetString());
        return [.. answer.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>Polls <paramref name="promql"/> until its series satisfy <paramref name="done"/>, within <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> UntilAsync(
        string promql, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> done, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = await QueryAsync(promql);
            if (done(result))
            {
                return result;
            }

            if (deadline.Elapsed > timeout)
            {
                var targets = await _http.GetStringAsync("api/v1/targets");
                Assert.Fail($"'{promql}' gave [{string.Join(", ", result.Select(r => r.Value))}] after {timeout}; targets: {targets}\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _folder.Dispose();
    }

    private void Log(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }
}
