using Microsoft.Extensions.Logging;

namespace OrleansML.Tests.Infrastructure;

/// <summary>
/// An in-process logger provider that keeps every entry and signals the first warning or error that carries an
/// exception: how a test sees an Orleans client fail to connect, since the client itself retries and waits.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly List<string> _entries = [];
    private readonly TaskCompletionSource<(string Category, Exception Exception)> _firstFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the logger category and exception of the first warning or error logged with one.</summary>
    public Task<(string Category, Exception Exception)> FirstFailure => _firstFailure.Task;

    public IReadOnlyList<string> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string category, LogLevel level, string message, Exception? exception)
    {
        lock (_entries)
        {
            _entries.Add($"{level} {category}: {message}{(exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]")}");
        }

        if (exception is not null && level >= LogLevel.Warning)
        {
            _firstFailure.TrySetResult((category, exception));
        }
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Add(category, logLevel, formatter(state, exception), exception);
    }
}
