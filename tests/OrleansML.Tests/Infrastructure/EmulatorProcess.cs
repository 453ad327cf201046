using System.Diagnostics;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// A storage emulator (moto's S3 server, Azurite) run as a child process on a loopback port, ready once it answers
/// HTTP at all (any status), killed with its children on dispose. Fails with the emulator's last output when it
/// exits or stays silent past the deadline.
/// </summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private EmulatorProcess(Process process) => _process = process;

    public static async Task<EmulatorProcess> StartAsync(string command, IEnumerable<string> arguments, Uri probe, string missingHint)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"{command} is not installed: {missingHint}", exception);
        }

        var emulator = new EmulatorProcess(process);
        process.OutputDataReceived += (_, e) => emulator.Log(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var _ = await http.GetAsync(probe);
                return emulator;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await emulator.DisposeAsync();
                    throw new InvalidOperationException(
                        $"{command} did not answer at {probe} ({(process.HasExited ? $"exited with {process.ExitCode}" : "still silent after 60 s")}): " +
                        $"{missingHint}\n{emulator.LastOutput()}", exception);
                }

                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
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
            if (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }

    private string LastOutput()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }
}
