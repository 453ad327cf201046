using System.Diagnostics;
using System.Net.Sockets;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// A real redis-server on a free loopback port with a throwaway data folder, stopped (and its folder deleted) on
/// dispose; optionally with a password (<c>requirepass</c>) and TLS only (no plain port). Fails with a clear message
/// when redis-server is not installed (tests/run-all.sh installs it).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private Process? _process;

    public int Port { get; } = FreePort.Next();

    /// <summary>When set, clients must AUTH with it.</summary>
    public string? Password { get; init; }

    /// <summary>When set, the server speaks only TLS, with this certificate; clients need not present one.</summary>
    public TestCertificate? Tls { get; init; }

    /// <summary>A StackExchange.Redis connection string, with the password and <c>ssl=true</c> when they apply.</summary>
    public string ConnectionString =>
        $"127.0.0.1:{Port}{(Password is null ? "" : $",password={Password}")}{(Tls is null ? "" : ",ssl=true")}";

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--bind", "127.0.0.1", "--dir", _folder.Path, "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Tls is null)
        {
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(Port.ToString());
        }
        else
        {
            foreach (var argument in new[] { "--port", "0", "--tls-port", Port.ToString(), "--tls-cert-file", Tls.CertificatePemPath,
                         "--tls-key-file", Tls.KeyPemPath, "--tls-auth-clients", "no" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        if (Password is not null)
        {
            // Read from stdin as a config file, so the password is not in the process list.
            start.RedirectStandardInput = true;
            start.ArgumentList.Insert(0, "-");
        }

        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-server is not installed; run tests/run-all.sh, or apt-get install redis-server.", exception);
        }

        if (Password is not null)
        {
            await _process.StandardInput.WriteLineAsync($"requirepass {Password}");
            _process.StandardInput.Close();
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(20) && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _folder.Dispose();
    }
}
