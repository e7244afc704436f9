using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Hangfire;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Jobs;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Relay;

/// <summary>
/// Drains due relay deliveries in batches (a Hangfire job every minute, and enqueued right after a fan-out). Any
/// number of drains may run at once, on any node: each delivery is claimed in the database (a conditional UPDATE
/// setting status <c>sending</c>, <see cref="RelayDelivery.ClaimedBy"/> and a lease) just before it is sent, so only
/// one drain sends it; a claim whose lease ran out (the drain died mid-send) is taken over and the row sent again
/// with the same webhook-id. Each attempt is committed on its own, with a <see cref="RelayDeliveryAttempt"/> row.
/// Non-2xx, timeouts and refused targets are retried with backoff, then failed; an endpoint failing for
/// <see cref="RelayOptions.DisableAfter"/> is disabled.
/// </summary>
public sealed class RelaySender(IServiceScopeFactory scopes, HubDbContext db, IBackgroundJobClient jobs, IHttpClientFactory httpClients, IOptions<RelayOptions> options, TimeProvider clock, ILogger<RelaySender> logger)
{
    public const string HttpClientName = "IntegrationHub.Relay";

    /// <summary>1 m, 5 m, 30 m, 1 h, 2 h, 4 h, 8 h, 8 h: eight attempts after the first, about a day in all.</summary>
    internal static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
        TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    public const int ExcerptLength = 500;

    /// <summary>This drain's name on the rows it claims.</summary>
    private readonly string _claimToken = $"{Environment.MachineName}:{Guid.NewGuid():N}";

    /// <summary>Rows of one endpoint a lane tries to claim before it gives its turn back (others may claim them too).</summary>
    private const int ClaimTries = 3;

    /// <summary>One endpoint of one tenant: the unit a drain sends to one row at a time.</summary>
    private readonly record struct Lane(Guid TenantId, Guid EndpointId);

    /// <summary>Returns how many deliveries this drain attempted (claimed and tried). Runs on the relay queue's own
    /// workers (<see cref="JobsRegistration.RelayQueue"/>) and is fair between tenants, like the delivery engine's
    /// dispatcher: every endpoint with due rows gets a lane of its own (one send in flight at a time, its oldest due
    /// row first), lanes run side by side (at most <see cref="RelayOptions.DrainParallelism"/>; the least recently
    /// served tenant first, then its least recently served endpoint), and due endpoints are looked up again every
    /// <see cref="RelayOptions.PollInterval"/> while sends are in flight. So an endpoint that hangs holds one lane,
    /// never the worker, and any other endpoint's relay — another tenant's, or the same tenant's — goes out within a
    /// poll interval even while every relay worker waits on that endpoint. After
    /// <see cref="RelayOptions.DrainBudget"/> or <see cref="RelayOptions.BatchSize"/> sends the drain starts no more:
    /// the rest stay due (nothing is lost) and a fresh drain is enqueued behind the other waiting relay jobs.</summary>
    [AutomaticRetry(Attempts = 0)]
    [Queue(JobsRegistration.RelayQueue)]
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = clock.GetTimestamp();
        var lanes = new Dictionary<Lane, Task<bool>>();
        var waiting = new List<Lane>();
        var tenantLastServed = new Dictionary<Guid, int>();
        var laneLastServed = new Dictionary<Lane, int>();
        var begun = 0;
        var attempted = 0;
        long? lastLook = null;
        var sentSinceLook = false;
        try
        {
            while (true)
            {
                if (clock.GetElapsedTime(started) >= o.DrainBudget || begun >= o.BatchSize)
                {
                    // Enqueued before waiting for the sends in flight, so another worker can take over meanwhile.
                    jobs.Enqueue<RelaySender>(s => s.DrainAsync(CancellationToken.None));
                    logger.LogInformation("Relay drain used its budget ({Budget}, {BatchSize} sends) after {Begun} sends; the rest goes to a new drain.", o.DrainBudget, o.BatchSize, begun);
                    break;
                }

                if (lastLook is not { } looked || clock.GetElapsedTime(looked) >= o.PollInterval || (lanes.Count == 0 && sentSinceLook))
                {
                    waiting = await DueLanesAsync(cancellationToken);
                    lastLook = clock.GetTimestamp();
                    sentSinceLook = false;
                }

                var free = Math.Min(o.DrainParallelism - lanes.Count, o.BatchSize - begun);
                // One at a time, so a tenant served a moment ago goes behind every other tenant waiting, whatever its
                // number of endpoints.
                for (var picked = 0; picked < free; picked++)
                {
                    var next = waiting.Where(l => !lanes.ContainsKey(l))
                        .OrderBy(l => tenantLastServed.GetValueOrDefault(l.TenantId)).ThenBy(l => laneLastServed.GetValueOrDefault(l))
                        .Select(l => (Lane?)l).FirstOrDefault();
                    if (next is not { } lane)
                    {
                        break;
                    }

                    waiting.Remove(lane);
                    tenantLastServed[lane.TenantId] = laneLastServed[lane] = ++begun;
                    lanes[lane] = SendNextAsync(lane, cancellationToken);
                }

                if (lanes.Count == 0)
                {
                    if (sentSinceLook)
                    {
                        continue; // look again: what was sent may have made room for more
                    }

                    break; // nothing due, or what the last look found was taken by other drains
                }

                await WaitForALaneAsync(lanes.Values, o.PollInterval - clock.GetElapsedTime(lastLook.Value), cancellationToken);
                foreach (var (lane, send) in lanes.Where(l => l.Value.IsCompleted).ToList())
                {
                    lanes.Remove(lane);
                    if (await send)
                    {
                        attempted++;
                        sentSinceLook = true;
                        if (!waiting.Contains(lane))
                        {
                            waiting.Add(lane); // it may have more due rows
                        }
                    }
                }
            }
        }
        catch
        {
            // Never leave a send running without its drain: its scope would be disposed under it.
            await Task.WhenAll(lanes.Values.Select(l => l.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));
            throw;
        }

        return attempted + (await Task.WhenAll(lanes.Values)).Count(sent => sent);
    }

    /// <summary>Endpoints with at least one due row, whatever their number of rows.</summary>
    private async Task<List<Lane>> DueLanesAsync(CancellationToken cancellationToken)
    {
        var due = await db.Set<RelayDelivery>().AcrossTenants().AsNoTracking().Due(clock.GetUtcNow())
            .Select(d => new { d.TenantId, d.EndpointId }).Distinct().ToListAsync(cancellationToken);
        return due.Select(d => new Lane(d.TenantId, d.EndpointId)).ToList();
    }

    private async Task WaitForALaneAsync(IEnumerable<Task<bool>> lanes, TimeSpan untilNextLook, CancellationToken cancellationToken)
    {
        if (untilNextLook <= TimeSpan.Zero)
        {
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(lanes.Append(Task.Delay(untilNextLook, clock, stop.Token)));
        await stop.CancelAsync();
    }

    /// <summary>One turn of an endpoint's lane: claims its oldest due row and sends it, in a scope acting for the
    /// tenant. False when it claimed nothing (other drains took the rows) or failed before sending; a row it claimed
    /// stays claimed until its lease runs out, then it is sent again.</summary>
    private async Task<bool> SendNextAsync(Lane lane, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the lanes start side by side, not one after the other on the drain's thread
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(lane.TenantId);
            var tenantDb = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            var candidates = await tenantDb.Set<RelayDelivery>().AsNoTracking().Where(d => d.EndpointId == lane.EndpointId).Due(clock.GetUtcNow())
                .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(ClaimTries).ToListAsync(cancellationToken);
            foreach (var id in candidates)
            {
                if (await AttemptAsync(scope.ServiceProvider, id, cancellationToken))
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Relay drain: a delivery of tenant {TenantId} to endpoint {EndpointId} could not be attempted; it stays due.", lane.TenantId, lane.EndpointId);
            return false;
        }
    }

    /// <summary>Claims the row for this drain: only one of any number of concurrent claims of a row can succeed.</summary>
    private async Task<bool> ClaimAsync(HubDbContext tenantDb, Guid deliveryId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var leaseUntil = now + options.Value.LeaseDuration;
        var claimed = await tenantDb.Set<RelayDelivery>().Where(d => d.Id == deliveryId).Due(now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, RelayDeliveryStatus.Sending)
                .SetProperty(d => d.ClaimedBy, _claimToken)
                .SetProperty(d => d.LeaseUntil, leaseUntil), cancellationToken);
        return claimed == 1;
    }

    private async Task<bool> AttemptAsync(IServiceProvider services, Guid deliveryId, CancellationToken cancellationToken)
    {
        var tenantDb = services.GetRequiredService<HubDbContext>();
        tenantDb.ChangeTracker.Clear();
        if (!await ClaimAsync(tenantDb, deliveryId, cancellationToken))
        {
            return false; // another drain has it, or it is no longer due
        }

        var relay = services.GetRequiredService<RelayService>();
        var delivery = await tenantDb.Set<RelayDelivery>().FirstAsync(d => d.Id == deliveryId, cancellationToken);
        var endpoint = await tenantDb.Set<RelayEndpoint>().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (endpoint is null || !endpoint.Enabled)
        {
            delivery.Status = RelayDeliveryStatus.Failed;
            delivery.ResponseExcerpt = "Endpoint disabled or deleted; not sent.";
            Release(delivery);
            await SaveOwnAsync(tenantDb, delivery, cancellationToken);
            return true;
        }

        if (!await relay.IsSwitchedOnAsync(cancellationToken))
        {
            delivery.Status = RelayDeliveryStatus.Failed;
            delivery.ResponseExcerpt = "Relay is switched off in the website's settings; not sent.";
            Release(delivery);
            await SaveOwnAsync(tenantDb, delivery, cancellationToken);
            return true;
        }

        var now = clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var secrets = await relay.SigningSecretsAsync(endpoint, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("webhook-id", delivery.WebhookId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", RelaySignature.Header(secrets, delivery.WebhookId, timestamp, delivery.Payload));
        request.Headers.UserAgent.ParseAdd("IntegrationHub-Relay/1");

        var watch = Stopwatch.StartNew();
        bool ok;
        string? error;
        DateTimeOffset? retryAfter = null;
        if (secrets.Count == 0)
        {
            // Never unsigned: a receiver that verifies refuses it anyway, and one that does not would trust anything.
            error = "No signing secret for this endpoint (rotate its secret to make one); not sent.";
            delivery.LastStatus = null;
            delivery.ResponseExcerpt = error;
            ok = false;
        }
        else
        {
            (ok, error, retryAfter) = await SendAsync(request, delivery, endpoint.Url, secrets, cancellationToken);
        }

        delivery.LatencyMs = watch.ElapsedMilliseconds;
        delivery.LastAttemptAt = now;
        delivery.Attempts++;
        DateTimeOffset? nextAttempt = null;
        if (!ok && delivery.Attempts <= Backoff.Length)
        {
            var delay = Backoff[delivery.Attempts - 1];
            nextAttempt = now + delay + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * delay.TotalMilliseconds * 0.1);
            if (retryAfter is { } asked && asked > nextAttempt)
            {
                // The receiver said when it can take more (429 / 503 with Retry-After): sooner than that would only be
                // refused again and count toward disabling it. Never later than the longest fixed step, so a receiver
                // asking for days cannot park a delivery past the schedule. Noted on the attempt, so the history says
                // why this wait differs from the schedule.
                var latest = now + Backoff[^1];
                var capped = asked > latest;
                nextAttempt = capped ? (latest > nextAttempt ? latest : nextAttempt) : asked;
                var cap = capped ? string.Create(CultureInfo.InvariantCulture, $" (capped at {Backoff[^1].TotalHours:0} h)") : "";
                var note = string.Create(CultureInfo.InvariantCulture, $"[Retry-After honoured{cap}: next attempt {nextAttempt:yyyy-MM-dd HH:mm:ss} UTC] ");
                delivery.ResponseExcerpt = TextCut.Truncate(note + delivery.ResponseExcerpt, ExcerptLength);
            }
        }

        tenantDb.Set<RelayDeliveryAttempt>().Add(new RelayDeliveryAttempt
        {
            DeliveryId = delivery.Id,
            Number = delivery.Attempts,
            StartedAt = now,
            StatusCode = delivery.LastStatus,
            Error = error,
            LatencyMs = delivery.LatencyMs.Value,
            ResponseExcerpt = error is null ? delivery.ResponseExcerpt : null,
        });
        Release(delivery);
        if (ok)
        {
            delivery.Status = RelayDeliveryStatus.Sent;
            endpoint.FailingSince = null;
        }
        else
        {
            if (endpoint.FailingSince is { } failingSince && await QuietBeforeAsync(tenantDb, endpoint.Id, failingSince, now, options.Value.Retention, cancellationToken))
            {
                // A failure after a quiet spell starts a new streak: the old one says nothing of the time between.
                endpoint.FailingSince = null;
            }

            endpoint.FailingSince ??= now;
            if (delivery.Attempts > Backoff.Length)
            {
                delivery.Status = RelayDeliveryStatus.Failed;
            }
            else
            {
                delivery.Status = RelayDeliveryStatus.Retrying;
                delivery.NextAttemptAt = nextAttempt!.Value;
            }

            if (now - endpoint.FailingSince >= options.Value.DisableAfter)
            {
                endpoint.Enabled = false;
                endpoint.DisabledReason = $"Disabled on {now:yyyy-MM-dd HH:mm} UTC: every delivery failed since {endpoint.FailingSince:yyyy-MM-dd HH:mm} UTC "
                    + $"(last: {(delivery.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? "no response")}). Fix the endpoint, then enable it again.";
                logger.LogWarning("Relay endpoint {EndpointId} of tenant {TenantId} disabled after failing since {Since}.", endpoint.Id, endpoint.TenantId, endpoint.FailingSince);
            }
        }

        await SaveOwnAsync(tenantDb, delivery, cancellationToken);
        return true;
    }

    /// <summary>
    /// Longer than any wait between two attempts while deliveries are failing (the longest back-off and its jitter,
    /// with room for a late drain): no attempt within it means nothing was sent to the endpoint for a while.
    /// </summary>
    internal static readonly TimeSpan QuietGap = Backoff[^1] * 1.25;

    /// <summary>Whether the endpoint's latest attempt before this one (as stored) is older than <see cref="QuietGap"/>.
    /// Asked only while a streak is open, whose failed attempt was stored with it: none stored, with the streak older
    /// than <see cref="RelayOptions.Retention"/>, means the retention purge took them, so the last one was longer ago
    /// than that — a quiet spell too; else an endpoint that failed once a month ago, then sent nothing, was disabled
    /// by its next failure. (None stored and a younger streak: no sign of a quiet spell.)</summary>
    private static async Task<bool> QuietBeforeAsync(HubDbContext tenantDb, Guid endpointId, DateTimeOffset failingSince, DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        var latest = await tenantDb.Set<RelayDelivery>().AsNoTracking()
            .Where(d => d.EndpointId == endpointId && d.LastAttemptAt != null)
            .OrderByDescending(d => d.LastAttemptAt)
            .Select(d => d.LastAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);
        return latest is null ? now - failingSince > retention : now - latest.Value > QuietGap;
    }

    /// <summary>One POST to the endpoint; the outcome goes on the delivery, and an error (if any) is returned too, with
    /// when a 429 / 503 asked to be tried again (its <c>Retry-After</c>, seconds or an HTTP date), if it said.</summary>
    private async Task<(bool Ok, string? Error, DateTimeOffset? RetryAfter)> SendAsync(HttpRequestMessage request, RelayDelivery delivery, string url, List<string> secrets, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // The status decides the outcome: a receiver that answered 2xx has the event, whatever its body does next.
            // Its body is read only for the excerpt, within what is left of the attempt's time: a 200 whose body
            // trickled past the timeout (or broke off) was counted as a timeout, sent again, and could disable the endpoint.
            delivery.LastStatus = (int)response.StatusCode;
            var body = await ReadExcerptAsync(response, timeout.Token, cancellationToken);
            delivery.ResponseExcerpt = RelayExcerpt.Clean(body, secrets, url, ExcerptLength);
            return (response.IsSuccessStatusCode, null, RetryAfterOf(response));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            delivery.LastStatus = null;
            var reason = ex is HttpRequestException { InnerException: RelayTargetRefusedException refused } ? refused.Message
                : ex is OperationCanceledException ? $"Timed out after {options.Value.Timeout.TotalSeconds:0} s."
                : ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" // e.g. "Connection refused": says what to fix
                : ex.Message;
            var error = RelayExcerpt.Clean(reason, secrets, url, ExcerptLength);
            delivery.ResponseExcerpt = error;
            return (false, error, null);
        }
    }

    /// <summary>When a 429 or 503 asks to be tried again: <c>Retry-After</c> in seconds (from now) or as an HTTP date;
    /// null for other statuses and for a missing or unreadable header.</summary>
    private DateTimeOffset? RetryAfterOf(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || response.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        return retryAfter.Delta is { } delta ? (delta >= TimeSpan.Zero ? clock.GetUtcNow() + delta : null) : retryAfter.Date;
    }

    private static void Release(RelayDelivery delivery)
    {
        delivery.ClaimedBy = null;
        delivery.LeaseUntil = null;
    }

    /// <summary>Writes the outcome only while the claim is still this drain's (ClaimedBy is a concurrency token): a
    /// drain that overran its lease must not overwrite the outcome of the drain that took the row over.</summary>
    private async Task SaveOwnAsync(HubDbContext tenantDb, RelayDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await tenantDb.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogWarning("Relay delivery {DeliveryId}: the claim was taken over after its lease ran out; this attempt's outcome is dropped.", delivery.Id);
        }
        finally
        {
            tenantDb.ChangeTracker.Clear();
        }
    }

    /// <summary>The start of the response body, for the attempt's excerpt. A body that does not arrive in time or breaks off
    /// starts the excerpt with a note instead of failing the attempt; only the drain's own cancellation is thrown.</summary>
    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken timeout, CancellationToken cancellationToken)
    {
        var buffer = new byte[ExcerptLength * 4];
        var read = 0;
        string? note = null;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout);
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), timeout)) > 0)
            {
                read += n;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            note = "[body not finished within the timeout] ";
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            note = "[body broke off] ";
        }

        // The note first: the excerpt is cut to its length.
        return note + Encoding.UTF8.GetString(buffer, 0, read);
    }
}

/// <summary>The relay's shared question: which deliveries a drain may claim now.</summary>
public static class RelayQueries
{
    /// <summary>Queued or retrying and due, or sending under a lease that ran out (its drain died) — the same rule as
    /// the delivery engine's <c>DeliveryQueries.Due</c> for Crisp calls.</summary>
    public static IQueryable<RelayDelivery> Due(this IQueryable<RelayDelivery> deliveries, DateTimeOffset now) =>
        deliveries.Where(d => ((d.Status == RelayDeliveryStatus.Queued || d.Status == RelayDeliveryStatus.Retrying) && d.NextAttemptAt <= now)
            || (d.Status == RelayDeliveryStatus.Sending && d.LeaseUntil < now));
}
