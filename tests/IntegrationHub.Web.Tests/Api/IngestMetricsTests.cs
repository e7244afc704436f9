using System.Collections.Concurrent;
using System.Net;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// The group commit reports on the <c>IntegrationHub.Ingest</c> meter: per commit its duration, requests and events,
/// per request its wait from queueing to the commit's end — what an operator reads when the API is slow.
/// </summary>
public sealed class IngestMetricsTests(SqliteHubFixture fixture) : ApiTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    [Fact]
    public async Task CommitsAndRequests_AreMeasured_OnTheIngestMeter()
    {
        var (_, client) = await TenantClientAsync();
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = ListenToIngestMeter(measurements);

        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"paid","email":"a@b.example"}""")).StatusCode);
        var batch = await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch",
            """{"events":[{"event":"seen","email":"a@b.example"},{"event":"seen","user_id":"u-2"},{"event":"no contact"}]}""");
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);

        double Sum(string instrument) => measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);
        Assert.Equal(2, Sum("hub.ingest.commit.requests"));
        Assert.Equal(3, Sum("hub.ingest.commit.events")); // the rejected item never reaches a commit
        Assert.Equal(2, measurements.Count(m => m.Instrument == "hub.ingest.request.wait"));
        Assert.All(measurements.Where(m => m.Instrument is "hub.ingest.request.wait" or "hub.ingest.commit.duration"), m => Assert.True(m.Value > 0));
        Assert.InRange(measurements.Count(m => m.Instrument == "hub.ingest.commit.duration"), 1, 2);
    }
}
