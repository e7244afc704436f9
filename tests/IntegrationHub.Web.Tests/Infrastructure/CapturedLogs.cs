using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// An <see cref="ILoggerProvider"/> that records every log entry a host writes (message, exception text and
/// structured state), so tests can search them — e.g. that no secret ever reaches a log. Add it with
/// <c>logging.AddProvider(logs)</c>; it records at whatever levels the host's filters let through.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, string? Exception, string State)
    {
        /// <summary>Everything this entry could reveal, as one string to search.</summary>
        public string AllText => $"{Category} {EventId} {Message} {State} {Exception}";
    }

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var stateText = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state?.ToString() ?? string.Empty;
            owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception?.ToString(), stateText));
        }
    }
}
