using System.Diagnostics.Metrics;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// The group commit's instruments (meter <c>IntegrationHub.Ingest</c>): how long each commit takes and how many requests
/// and events it carries, how long a request waits from queueing to its answer, and how many wait right now. An accepted request's latency is
/// mostly this wait, so these say whether a slow API is the database, the batching or the web tier
/// (<c>dotnet-counters monitor --counters IntegrationHub.Ingest</c>, or any OpenTelemetry exporter).
/// </summary>
public sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "IntegrationHub.Ingest";

    private readonly Meter _meter;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _commitRequests;
    private readonly Histogram<int> _commitEvents;
    private readonly Histogram<double> _requestWait;
    private readonly Counter<long> _insertsRefused;
    private Func<int>? _queueDepth;

    public IngestMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _commitDuration = _meter.CreateHistogram<double>("hub.ingest.commit.duration", "ms", "Duration of one group commit, from its first query to its COMMIT.");
        _commitRequests = _meter.CreateHistogram<int>("hub.ingest.commit.requests", "{request}", "API requests sharing one group commit.");
        _commitEvents = _meter.CreateHistogram<int>("hub.ingest.commit.events", "{event}", "Valid events carried by one group commit (new ones and repeats of stored ones).");
        _requestWait = _meter.CreateHistogram<double>("hub.ingest.request.wait", "ms", "From a request's queueing to its commit's end.");
        _insertsRefused = _meter.CreateCounter<long>("hub.ingest.commit.refused", "{commit}",
            "Group commits that inserted without a lookup, were refused by a unique index (a repeated message id or Idempotency-Key) and were done again after one.");
        _meter.CreateObservableGauge("hub.ingest.queue.depth", () => _queueDepth?.Invoke() ?? 0, "{request}",
            "Validated requests waiting for a group commit (those waiting for room in a full queue included): a backlog that grows means the database cannot keep up.");
    }

    /// <summary>Where <c>hub.ingest.queue.depth</c> reads from (the writer's queue, once it runs).</summary>
    public void ObserveQueue(Func<int> depth) => _queueDepth = depth;

    public void Committed(TimeSpan duration, int requests, int events)
    {
        _commitDuration.Record(duration.TotalMilliseconds);
        _commitRequests.Record(requests);
        _commitEvents.Record(events);
    }

    public void Answered(TimeSpan wait) => _requestWait.Record(wait.TotalMilliseconds);

    public void InsertRefused() => _insertsRefused.Add(1);

    public void Dispose() => _meter.Dispose();
}
