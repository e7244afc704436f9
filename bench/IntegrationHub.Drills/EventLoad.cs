using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace IntegrationHub.Drills;

/// <summary>An event the hub answered 202 for: by the API's contract it is committed.</summary>
public sealed record AcceptedEvent(string MessageId, Guid TenantId, DateTimeOffset AcceptedAt, Uri Node);

/// <summary>
/// A customer backend posting <c>drill.ping</c> events, each with a unique <c>message_id</c> (also in
/// <c>properties.mid</c>, which the drill rule writes as the people event's text). It records every answer: 202s
/// (accepted), other statuses, and requests that got no answer (node killed or down). It never retries, so each
/// message id was posted once and the drill can tell exactly which events the hub promised to deliver.
/// </summary>
public sealed class EventLoad(IReadOnlyList<DrillTenant> tenants, string runId, int contactsPerTenant = 3) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        // A killed node leaves dead pooled connections; short lifetimes let a restarted node be found at once.
        PooledConnectionLifetime = TimeSpan.FromSeconds(2),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private long _sequence;
    private long _noAnswer;

    public ConcurrentDictionary<string, AcceptedEvent> Accepted { get; } = new(StringComparer.Ordinal);

    /// <summary>HTTP status → count (202 included).</summary>
    public IReadOnlyDictionary<int, int> Statuses => _statuses;

    /// <summary>Requests that got no HTTP answer (connection refused or reset, timeout).</summary>
    public long NoAnswer => Interlocked.Read(ref _noAnswer);

    public long Posted => Interlocked.Read(ref _sequence);

    private long _unavailableWithoutRetryAfter;
    private long _slowestMs;

    /// <summary>503 answers that lacked Retry-After (checked as they arrive).</summary>
    public long UnavailableWithoutRetryAfter => Interlocked.Read(ref _unavailableWithoutRetryAfter);

    /// <summary>Slowest answer seen, in milliseconds (hung requests would show here).</summary>
    public long SlowestMs => Interlocked.Read(ref _slowestMs);

    /// <summary>Posts one event for <paramref name="tenant"/> to <paramref name="node"/>; returns the status (0 = no answer).</summary>
    public async Task<int> PostAsync(Uri node, DrillTenant tenant, CancellationToken cancellationToken = default)
    {
        var seq = Interlocked.Increment(ref _sequence);
        var messageId = $"{runId}-{seq}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "api/v1/events"))
        {
            Content = JsonContent.Create(new
            {
                @event = DrillSeeder.EventName,
                email = $"c{seq % contactsPerTenant}@{tenant.Name.ToLowerInvariant()}.drill.example",
                message_id = messageId,
                properties = new { mid = messageId, seq },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Accepted[messageId] = new AcceptedEvent(messageId, tenant.Id, DateTimeOffset.UtcNow, node);
            }
            else if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is null)
            {
                Interlocked.Increment(ref _unavailableWithoutRetryAfter);
            }

            return status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _noAnswer);
            return 0;
        }
        finally
        {
            var ms = started.ElapsedMilliseconds;
            long seen;
            while (ms > (seen = Interlocked.Read(ref _slowestMs)) && Interlocked.CompareExchange(ref _slowestMs, ms, seen) != seen)
            {
            }
        }
    }

    /// <summary>
    /// <paramref name="workers"/> loops posting round-robin over tenants and <paramref name="nodes"/> (asked again for
    /// every request, so a drill can change them) until <paramref name="stop"/> fires or <paramref name="count"/>
    /// events were posted. A loop that got no answer pauses briefly, as a real backend would.
    /// </summary>
    public Task RunAsync(Func<IReadOnlyList<Uri>> nodes, int workers, CancellationToken stop, int? count = null) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var i = w;
            while (!stop.IsCancellationRequested && (count is null || Posted < count))
            {
                var targets = nodes();
                var status = await PostAsync(targets[i % targets.Count], tenants[i / targets.Count % tenants.Count]);
                i++;
                if (status is 0 or 503)
                {
                    try
                    {
                        await Task.Delay(50, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        })));

    public string Describe() =>
        $"{Posted} posted: " + string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}×{s.Key}")) + $", {NoAnswer} without an answer";

    public void Dispose() => _http.Dispose();
}
