using System.Diagnostics.Metrics;
using System.Net;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>A SQLite hub with one log provider that fails on every rule-problem entry (and one that records all).</summary>
public sealed class FailingRuleProblemLogSqliteFixture : SqliteHubFixture
{
    public CapturedLogs Logs { get; } = new();

    protected override Action<IServiceCollection>? Services => services =>
    {
        services.AddSingleton<ILoggerProvider>(Logs);
        services.AddSingleton<ILoggerProvider>(new FailingOnRuleProblems());
    };

    private sealed class FailingOnRuleProblems : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Failing();

        public void Dispose()
        {
        }

        private sealed class Failing : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (formatter(state, exception).Contains(", rule ", StringComparison.Ordinal))
                {
                    throw new IOException("log sink full");
                }
            }
        }
    }
}

/// <summary>
/// What the ingest writer does after a commit (telling rule problems, answering, measuring) cannot make the committed
/// batch be done again nor stop the writer: a failing log provider once sent it to the one-by-one fallback, which
/// re-inserted stored rows, hit their keys and logged "could not be stored" for events that were stored.
/// </summary>
public sealed class RuleProblemLogFailureTests(FailingRuleProblemLogSqliteFixture fixture)
    : ApiTestBase(fixture), IClassFixture<FailingRuleProblemLogSqliteFixture>
{
    [Fact]
    public async Task LogProviderFailsOnARuleProblem_EventStoredOnceNothingRedoneTheWriterGoesOn()
    {
        var (tenant, client) = await TenantClientAsync("A");
        await CreatePeopleEventRuleAsync(tenant, "Seen", "seen");

        fixture.Logs.Clear();
        // No email: the rule's people event cannot be made, which is told in the log — where the provider fails.
        var first = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"seen","user_id":"u-1"}""");
        // One writer commits in order: once the second is answered, whatever followed the first commit is over.
        var second = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"signup","user_id":"u-2"}""");

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(2, await CountAsync<ProductEvent>(tenant));
        Assert.Single(fixture.Logs.Entries, e => e.Message.Contains(", rule Seen v1", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.Contains("EventIngestWriter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MeterListenerThrowsWhileAnswering_TheCallerHasItsAnswerAndTheWriterGoesOn()
    {
        var (tenant, client) = await TenantClientAsync("B");
        var meters = Hub.Services.GetRequiredService<IMeterFactory>();
        var recorded = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "hub.ingest.request.wait" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) =>
        {
            if (Interlocked.Increment(ref recorded) == 1)
            {
                throw new InvalidOperationException("a listener's bug");
            }
        });
        listener.Start();

        // Bounded waits: a writer loop that died would leave these requests waiting for ever.
        var first = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"signup","user_id":"u-1"}""").WaitAsync(TimeSpan.FromSeconds(30));
        var second = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"signup","user_id":"u-2"}""").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.True(recorded >= 2, $"the second answer was measured too ({recorded})");
        Assert.Equal(2, await CountAsync<ProductEvent>(tenant));
    }
}
