using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansML.Tests.Infrastructure;

namespace OrleansML.Tests.Security;

/// <summary>Secure by default: open only in the embedded Development loop or on explicit opt-out, with a warning.</summary>
public sealed class StartupPolicyTests : IDisposable
{
    private readonly TempDirectory _data = new();

    [Theory]
    [InlineData("Production", "Embedded")]
    [InlineData("Staging", "Embedded")]
    [InlineData("Development", "Cluster")]
    public async Task Without_credentials_the_api_refuses_to_start_outside_the_embedded_development_loop(string environment, string mode)
    {
        await using var api = new ApiFactory(_data.Path, environment, new Dictionary<string, string> { ["OrleansML:Mode"] = mode });

        var refused = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        var message = Innermost(refused).Message;
        Assert.Contains("refuses to start without authentication", message);
        Assert.Contains("OrleansML:Auth:ApiKeys", message);
        Assert.Contains("OrleansML:Auth:AllowAnonymous", message);
    }

    [Fact]
    public async Task A_key_configured_in_plain_text_instead_of_its_hash_stops_startup_without_echoing_it()
    {
        const string secret = "my-plain-text-key-that-should-be-hashed";
        await using var api = new ApiFactory(_data.Path, "Production", new Dictionary<string, string>
        {
            ["OrleansML:Auth:ApiKeys:0:Name"] = "ops",
            ["OrleansML:Auth:ApiKeys:0:Sha256"] = secret,
            ["OrleansML:Auth:ApiKeys:0:Scopes:0"] = "admin",
        });

        var message = Innermost(Assert.ThrowsAny<Exception>(() => api.CreateClient())).Message;

        Assert.Contains("OrleansML:Auth:ApiKeys:0:Sha256", message);
        Assert.DoesNotContain(secret, message);
    }

    [Fact]
    public async Task The_explicit_opt_out_runs_open_and_says_so_at_startup()
    {
        var logs = new ConcurrentQueue<string>();
        await using var api = new ApiFactory(_data.Path, "Production", new Dictionary<string, string> { ["OrleansML:Auth:AllowAnonymous"] = "true" });
        using var client = api.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(new CapturingLoggerProvider(logs)))).CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);
        Assert.Contains(logs, line => line.Contains("WITHOUT authentication", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_embedded_development_loop_runs_open_with_the_same_warning()
    {
        var logs = new ConcurrentQueue<string>();
        await using var api = new ApiFactory(_data.Path);
        using var client = api.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(new CapturingLoggerProvider(logs)))).CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);
        Assert.Contains(logs, line => line.Contains("WITHOUT authentication", StringComparison.Ordinal));
    }

    public void Dispose() => _data.Dispose();

    private static Exception Innermost(Exception exception) =>
        exception.InnerException is null ? exception : Innermost(exception.InnerException);

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
        }
    }
}
