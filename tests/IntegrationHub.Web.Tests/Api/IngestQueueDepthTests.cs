using System.Collections.Concurrent;
using System.Net;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>The watched-planner hub with a queue of one request, so a held commit fills it at once.</summary>
public sealed class OneRequestQueueSqliteFixture : WatchedPlannerSqliteFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Api:Ingest:QueueCapacity"] = "1",
    };
}

/// <summary>
/// <c>hub.ingest.queue.depth</c> keeps counting when the queue is full: the requests waiting for room are part of
/// the backlog, and a gauge that stopped at the queue's capacity would go flat exactly when the backlog grows.
/// </summary>
public sealed class IngestQueueDepthTests(OneRequestQueueSqliteFixture fixture) : ApiTestBase(fixture), IClassFixture<OneRequestQueueSqliteFixture>
{
    [Fact]
    public async Task FullQueue_DepthCountsTheRequestsWaitingForRoom_AndEveryOneIsAnsweredAfterwards()
    {
        var (_, client) = await TenantClientAsync("A");
        // The key's first use is recorded with a write, which would wait for the held commit.
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"signup","user_id":"u-0"}""")).StatusCode);
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = ListenToIngestMeter(measurements);

        var holding = SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"hold","user_id":"h"}""");
        await Eventually.UntilAsync(() => fixture.HeldCommits > 0, "the hold commit waits in the planner");
        var behind = Enumerable.Range(1, 3)
            .Select(i => SendAsync(client, HttpMethod.Post, "/api/v1/events", $$"""{"event":"signup","user_id":"u-{{i}}"}"""))
            .ToList();
        await Eventually.UntilAsync(() => QueueDepth(listener, measurements) == 3, "one request queued and two waiting for room");
        fixture.Hold.Release();

        Assert.All(await Task.WhenAll(behind.Prepend(holding)), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(0, QueueDepth(listener, measurements));
    }
}
