using System.Collections.Concurrent;
using System.Net;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// An inserting-first SQLite hub whose log entries are captured and whose mapping step (the real one) is watched:
/// it counts how often each event is planned, and an event named "hold" keeps its commit open until released.
/// </summary>
public class WatchedPlannerSqliteFixture : SqliteHubFixture
{
    public CapturedLogs Logs { get; } = new();

    public ConcurrentDictionary<Guid, int> PlannedTimes { get; } = new();

    public SemaphoreSlim Hold { get; } = new(0);

    /// <summary>Commits waiting in the planner for <see cref="Hold"/>.</summary>
    public int HeldCommits => Volatile.Read(ref _held);

    private int _held;

    protected override Action<IServiceCollection>? Services => services =>
    {
        services.AddSingleton<ILoggerProvider>(Logs);
        services.AddScoped<RuleEventActionPlanner>();
        services.AddScoped<IEventActionPlanner>(provider => new WatchedPlanner(provider.GetRequiredService<RuleEventActionPlanner>(), this));
    };

    private sealed class WatchedPlanner(RuleEventActionPlanner inner, WatchedPlannerSqliteFixture fixture) : IEventActionPlanner
    {
        public async ValueTask<EventPlan> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken)
        {
            if (events.Any(e => e.Name == "hold"))
            {
                Interlocked.Increment(ref fixture._held);
                await fixture.Hold.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            foreach (var productEvent in events)
            {
                fixture.PlannedTimes.AddOrUpdate(productEvent.Id, 1, (_, times) => times + 1);
            }

            return await inner.PlanAsync(events, cancellationToken);
        }
    }
}

/// <summary>
/// A rule that matches an event but cannot make its call is told in the log once, after the event is committed —
/// not once per attempt when the commit holding it is refused (another tenant's repeated message id) and done again.
/// </summary>
public sealed class RuleProblemLogTests(WatchedPlannerSqliteFixture fixture) : ApiTestBase(fixture), IClassFixture<WatchedPlannerSqliteFixture>
{
    [Fact]
    public async Task RuleProblemOfAnEventInARedoneCommit_LoggedOnceAfterTheCommit()
    {
        var (a, clientA) = await TenantClientAsync("A");
        var (_, clientB) = await TenantClientAsync("B");
        await CreatePeopleEventRuleAsync(a, "Seen", "seen");

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(clientB, HttpMethod.Post, "/api/v1/events", """{"event":"paid","email":"b@b.example","message_id":"m-1"}""")).StatusCode);
        // A's key is used once before: its first use is recorded with a write, which would wait for the held commit.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(clientA, HttpMethod.Post, "/api/v1/events", """{"event":"signup","email":"a@a.example"}""")).StatusCode);
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = ListenToIngestMeter(measurements);

        // One commit holds the writer; meanwhile A's event (no email: its people action cannot be made) and then B's
        // repeat of a stored message id queue, in that order, and share the next commit: A's rows are written and
        // planned, B's insert is refused, the commit rolls back and is done again.
        var holding = SendAsync(clientB, HttpMethod.Post, "/api/v1/events", """{"event":"hold","user_id":"h"}""");
        await Eventually.UntilAsync(() => fixture.HeldCommits > 0, "the hold commit waits in the planner");
        var problem = SendAsync(clientA, HttpMethod.Post, "/api/v1/events", """{"event":"seen","user_id":"u-2","message_id":"m-2"}""");
        await Eventually.UntilAsync(() => QueueDepth(listener, measurements) == 1, "A's request queued");
        var repeat = SendAsync(clientB, HttpMethod.Post, "/api/v1/events", """{"event":"paid","email":"b@b.example","message_id":"m-1"}""");
        await Eventually.UntilAsync(() => QueueDepth(listener, measurements) == 2, "B's request queued behind it");
        fixture.Logs.Clear();
        fixture.Hold.Release();

        Assert.All(await Task.WhenAll(holding, problem, repeat), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal("duplicate", (await JsonOf(await repeat)).GetProperty("status").GetString());
        var eventId = (await JsonOf(await problem)).GetProperty("id").GetGuid();
        Assert.Single(measurements, m => m.Instrument == "hub.ingest.commit.refused");
        Assert.Equal(2, fixture.PlannedTimes[eventId]);
        var entry = Assert.Single(fixture.Logs.Entries, e => e.Message.Contains("rule Seen v1", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains(eventId.ToString(), entry.Message, StringComparison.Ordinal);
        Assert.Contains("no email", entry.Message, StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync<ProductEvent>(a));
        // Stored with the event once, too: the rolled-back first commit left nothing behind.
        var stored = Assert.Single((await JsonOf(await clientA.GetAsync($"/api/v1/events/{eventId:D}"))).GetProperty("rule_problems").EnumerateArray());
        Assert.Contains("no email", stored.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync<EventRuleProblem>(a));
    }
}
