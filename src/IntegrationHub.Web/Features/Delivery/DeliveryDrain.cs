using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hangfire;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Delivery.Executors;
using IntegrationHub.Web.Features.Helpdesk;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// One Hangfire job drains one tenant's queue for a time slice, many calls per job. Each round: claim budget
/// permits and due calls in one commit (optimistic on the tenant's state row, so no other node can spend the same
/// permits), send them (contacts in parallel, each contact in id order), then write every outcome, attempt row and
/// the refund of unused permits in one more commit. The drain only works under its lease; if it dies, the lease
/// expires and the calls it held are claimed again.
/// </summary>
public sealed class DeliveryDrain(
    HubDbContext db,
    TenantContext tenant,
    CrispCallExecutor executor,
    PluginQuota quota,
    InstallationLifecycle lifecycle,
    IOptions<DeliveryOptions> options,
    TimeProvider clock,
    ILogger<DeliveryDrain> logger,
    DemoHandAddedWebsites? demoWebsites = null)
{
    private readonly Lock _demoGate = new();

    /// <summary>Requests a call was seen to need beyond its estimate: it ran out of permits halfway (e.g. a contact
    /// whose recent conversations are all resolved costs a read each), so the next round claims enough for it
    /// rather than cut it off at the same point again, round after round.</summary>
    private readonly ConcurrentDictionary<long, int> _needs = new();

    private Tenant _tenant = null!;

    private int _round;

    private int? _demoInstallRound;

    private DeliveryOptions O => options.Value;

    [AutomaticRetry(Attempts = 0)]
    public async Task<int> DrainAsync(Guid tenantId, string leaseToken, CancellationToken cancellationToken)
    {
        tenant.Use(tenantId);
        var started = clock.GetUtcNow();
        var delivered = 0;
        var tenantRow = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (tenantRow is null)
        {
            return 0;
        }

        _tenant = tenantRow;

        try
        {
            if (tenantRow.Status == TenantStatus.Uninstalled)
            {
                await DeliveryAdmin.PauseQueuedAsync(db, cancellationToken);
                return 0;
            }

            var budget = ConfiguredBudget(tenantRow.SettingsJson);
            while (clock.GetUtcNow() - started < O.DrainSlice && !cancellationToken.IsCancellationRequested)
            {
                var round = await ClaimAsync(leaseToken, budget, cancellationToken);
                if (round.Batch is { } batch)
                {
                    delivered += await SendAsync(tenantId, batch, cancellationToken);
                    if (batch.Uninstalled)
                    {
                        break;
                    }

                    continue;
                }

                if (round.NextPermitAt is { } next && next - clock.GetUtcNow() <= O.MaxBudgetWait && next - started < O.DrainSlice)
                {
                    // Backlog but no permit yet: wait for the next one here rather than give it up to scheduling delay.
                    var wait = next - clock.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, clock, cancellationToken);
                    }

                    continue;
                }

                break;
            }
        }
        finally
        {
            await ReleaseAsync(leaseToken);
        }

        return delivered;
    }

    public int ConfiguredBudget(string? settingsJson) => O.BudgetPerMinute(settingsJson);

    private sealed record Round(Batch? Batch, DateTimeOffset? NextPermitAt)
    {
        public static readonly Round Stop = new(null, null);
    }

    private sealed class Batch(List<CrispCall> calls, TenantDeliveryState state, long claimMs, PermitGate gate, PeopleCache people)
    {
        public PeopleCache People { get; } = people;

        public List<CrispCall> Calls { get; } = calls;

        public TenantDeliveryState State { get; } = state;

        public long ClaimMs { get; } = claimMs;

        public PermitGate Gate { get; } = gate;

        public bool Uninstalled { get; set; }
    }

    private async Task<Round> ClaimAsync(string leaseToken, int configuredBudget, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow();
        var state = await db.Set<TenantDeliveryState>().FirstOrDefaultAsync(ct);
        if (state is null || state.DrainOwner != leaseToken || state.DrainLeaseUntil is not { } leaseUntil || leaseUntil <= now)
        {
            return Round.Stop; // the lease is lost: another drain owns this tenant now
        }

        if (state.BackoffUntil is { } backoff && backoff > now)
        {
            return new Round(null, backoff);
        }

        RecoverFactor(state, now);
        // Lowered after rate limiting, but never below what the costliest call needs (see MinBudgetPerMinute).
        var budget = Math.Max(Math.Min(DeliveryOptions.MinBudgetPerMinute, configuredBudget), (int)Math.Floor(configuredBudget * state.BudgetFactor));
        var log = SlidingWindowLog.Parse(state.WindowLog);
        log.Prune(now, O.CountedWindow);
        var available = log.Available(budget);
        if (available == 0)
        {
            var next = log.NextFreeAt(budget, O.CountedWindow, now);
            state.NextPermitAt = next;
            state.WindowLog = log.ToString();
            state.Version++;
            await TrySaveAsync(ct);
            return new Round(null, next);
        }

        var candidates = await db.Set<CrispCall>().Claimable(now).OrderBy(c => c.Id).Take(Math.Min(available, O.BatchSize)).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return Round.Stop;
        }

        var people = await LoadPeopleAsync(candidates, ct);
        // Never more than the whole budget, so that even a call estimated above it is taken once the window is empty.
        int Cost(CrispCall c) => Math.Min(budget, Math.Max(_needs.GetValueOrDefault(c.Id), EstimatedCost(c, people)));
        var calls = TakeWithin(candidates, available, Cost);
        if (calls.Count == 0)
        {
            // The first due call needs more permits than are free now: wait until they are, rather than start it
            // with too few (the gate would stop it halfway, wasting the requests it made, and it would start over).
            var next = log.NextFreeAt(budget - Cost(candidates[0]) + 1, O.CountedWindow, now);
            state.NextPermitAt = next;
            state.WindowLog = log.ToString();
            state.Version++;
            await TrySaveAsync(ct);
            return new Round(null, next);
        }

        var cost = calls.Sum(Cost);
        var permits = Math.Min(available, cost);
        var granted = await quota.TakeAsync(permits, ct, atLeast: Cost(calls[0]));
        if (granted == 0)
        {
            logger.LogWarning("Plugin daily quota is near its limit: deliveries pause until the next UTC day.");
            return Round.Stop;
        }

        if (granted < permits)
        {
            calls = TakeWithin(calls, granted, Cost);
            if (calls.Count == 0)
            {
                await quota.RefundAsync(granted, ct);
                return Round.Stop;
            }
        }

        foreach (var skipped in candidates.Except(calls))
        {
            db.Entry(skipped).State = EntityState.Detached;
        }

        var claimMs = log.Add(now, granted);
        state.WindowLog = log.ToString();
        state.NextPermitAt = null;
        state.DrainLeaseUntil = now + O.LeaseDuration;
        state.Version++;
        foreach (var call in calls)
        {
            call.Status = CrispCallStatus.Sending;
            call.LeaseOwner = leaseToken;
            call.LeaseExpiresAt = now + O.LeaseDuration;
        }

        if (!await TrySaveAsync(ct))
        {
            await quota.RefundAsync(granted, ct);
            return Round.Stop;
        }

        _round++;
        return new Round(new Batch(calls, state, claimMs, new PermitGate(granted, now + O.PermitValidity, clock), people), null);
    }

    /// <summary>Calls in id order while their estimated cost fits in the permits; none when the first does not fit
    /// (a call the permits cannot cover would be stopped by the gate halfway and start over from its first request).</summary>
    private static List<CrispCall> TakeWithin(List<CrispCall> calls, int permits, Func<CrispCall, int> costOf)
    {
        var taken = new List<CrispCall>();
        var cost = 0;
        foreach (var call in calls)
        {
            cost += costOf(call);
            if (cost > permits)
            {
                break;
            }

            taken.Add(call);
        }

        return taken;
    }

    private void RecoverFactor(TenantDeliveryState state, DateTimeOffset now)
    {
        if (state.BudgetFactor >= 1)
        {
            return;
        }

        var since = state.FactorUpdatedAt ?? now;
        var recovered = (now - since).TotalMinutes * O.BudgetRecoveryPerMinute;
        if (recovered > 0)
        {
            state.BudgetFactor = Math.Min(1, state.BudgetFactor + recovered);
            state.FactorUpdatedAt = now;
        }
    }

    private enum Kind
    {
        Sent,
        Skipped,
        Retry,
        Unknown,
        RateLimited,
        QuotaExhausted,
        Dead,
        Deferred,
        NotSubscribed,

        /// <summary>Back in line now, no attempt counted, and the rest of the batch with it (demo mode learned the website).</summary>
        Requeue,
    }

    private sealed record Result(Kind Kind, DateTimeOffset StartedAt, int DurationMs, string Trace, int? HttpStatus = null, string? Reason = null, string? Error = null, TimeSpan? RetryAfter = null, long? MessageFingerprint = null);

    private async Task<int> SendAsync(Guid tenantId, Batch batch, CancellationToken ct)
    {
        var people = batch.People;
        var results = new ConcurrentDictionary<long, Result>();
        var stop = 0;
        var groups = batch.Calls.GroupBy(c => c.OrderingKey ?? "#" + c.Id).Select(g => g.OrderBy(c => c.Id).ToList()).ToList();
        // A stopping host (ct) starts no further call, but lets the requests in flight finish and records every outcome
        // Crisp gave: cancelling them, or the commit that records them, made the next node send the answered calls again.
        // Requests are bounded by the Crisp client's timeout and the permits' short validity, so this ends quickly.
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = O.DrainParallelism }, async (group, token) =>
        {
            foreach (var call in group)
            {
                if (Volatile.Read(ref stop) != 0 || ct.IsCancellationRequested)
                {
                    return;
                }

                var result = await RunAsync(tenantId, call, batch.Gate, people, token);
                results[call.Id] = result;
                if (result.Kind is Kind.RateLimited or Kind.QuotaExhausted or Kind.NotSubscribed or Kind.Requeue)
                {
                    Interlocked.Exchange(ref stop, 1);
                }

                if (result.Kind is not (Kind.Sent or Kind.Skipped))
                {
                    return; // later calls of this contact wait for this one
                }
            }
        });

        return await RecordAsync(tenantId, batch, results, people, CancellationToken.None);
    }

    private async Task<Result> RunAsync(Guid tenantId, CrispCall call, PermitGate gate, PeopleCache people, CancellationToken ct)
    {
        PermitGate.Current = gate;
        var trace = new List<string>();
        PermitGate.Trace = trace;
        var startedAt = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        Result Done(Kind kind, int? status = null, string? reason = null, string? error = null, TimeSpan? retryAfter = null) =>
            new(kind, startedAt, (int)watch.ElapsedMilliseconds, string.Join('\n', trace), status, reason, error, retryAfter);

        try
        {
            var outcome = await executor.ExecuteAsync(tenantId, call.Kind, call.Payload, people, ct);
            // The status Crisp gave the call's last request (201 added, 202 dispatched…), not an assumed 200.
            return Done(outcome.Outcome == "skipped" ? Kind.Skipped : Kind.Sent, LastStatus(trace), outcome.Note) with { MessageFingerprint = outcome.MessageFingerprint };
        }
        catch (DeliveryPermitsExhaustedException) when (trace.Count > 0 && trace[^1].EndsWith("CanceledException", StringComparison.Ordinal))
        {
            // The attempt timed out (the client's timeout cancels it) and its retry found no permit: Crisp may have
            // carried the request out, so the outcome is unknown, as for any timeout. (Found by the fault drill.)
            return Done(Kind.Unknown, null, "timeout", $"{trace[^1]}; the immediate retry had no permit left.");
        }
        catch (DeliveryPermitsExhaustedException) when (LastFailure(trace) is { } failure)
        {
            // The Crisp client's own retry of a failed attempt found no permit: the call failed, like any 5xx.
            return Done(Kind.Retry, failure == 0 ? null : failure, failure >= 500 ? "server_error" : "transport_error", $"{trace[^1]}; the immediate retry had no permit left.");
        }
        catch (DeliveryPermitsExhaustedException)
        {
            if (trace.Count > 0 && !gate.IsExpired)
            {
                // Claimed next time with what the costliest call can need (unused permits are refunded): growing the
                // claim one request per round would start the call over from its first request once per round.
                _needs[call.Id] = Math.Max(trace.Count + 1, CrispCallExecutor.MaxRequestsPerCall);
            }

            return Done(Kind.Deferred);
        }
        catch (CallCannotSucceedException ex)
        {
            return Done(Kind.Dead, null, ex.Reason, ex.Message);
        }
        catch (CrispRateLimitedException ex)
        {
            return Done(ex.Reason == "quota_limit_exceeded" ? Kind.QuotaExhausted : Kind.RateLimited, ex.StatusCode, ex.Reason, ex.Message, ex.RetryAfter);
        }
        catch (CrispApiException ex) when (ex.Reason == "quota_limit_exceeded")
        {
            // Crisp's reference lists quota_limit_exceeded under 423, not only 429/420: whatever the status, the quota
            // is spent and the call waits for it, never dead-lettered as a refusal that cannot succeed.
            return Done(Kind.QuotaExhausted, ex.StatusCode, ex.Reason, ex.Message);
        }
        catch (CrispApiException ex) when (ex.Reason == "not_subscribed")
        {
            bool subscribed;
            try
            {
                subscribed = await executor.IsSubscribedAsync(tenantId, ct);
            }
            catch (Exception check) when (check is CrispException or DeliveryPermitsExhaustedException)
            {
                subscribed = true; // could not tell: retry later rather than stop the queue on a guess
            }

            if (subscribed)
            {
                return Done(Kind.Retry, ex.StatusCode, ex.Reason, ex.Message);
            }

            if (_tenant.Source != TenantSource.Manual)
            {
                return Done(Kind.NotSubscribed, ex.StatusCode, ex.Reason, ex.Message);
            }

            // A website added by hand (tenant add) is the administrator's, not Crisp's: Crisp not knowing it never
            // uninstalls it (README: "never uninstalled by a sync", and a delivery is no different). In demo mode the
            // simulator learns it once and the calls go back in line; otherwise the call is dead with the reason,
            // visible in deliveries and replayable once the plugin is installed on the website in Crisp.
            if (LearnInDemo())
            {
                return Done(Kind.Requeue);
            }

            return Done(Kind.Dead, ex.StatusCode, ex.Reason,
                $"Website {_tenant.WebsiteId} was added by hand (tenant add) and Crisp says the plugin is not installed on it; the tenant stays active. Install the plugin on the website in Crisp, then replay this call. ({ex.Message})");
        }
        catch (CrispApiException ex)
        {
            // 5xx and 401 (the hub's own credentials) may pass on retry; any other 4xx will not: dead at once.
            var kind = ex.StatusCode >= 500 || ex.StatusCode == 401 ? Kind.Retry : Kind.Dead;
            return Done(kind, ex.StatusCode, ex.Reason, ex.Message);
        }
        catch (CrispTransportException ex)
        {
            return Done(ex.IsTimeout ? Kind.Unknown : Kind.Retry, null, ex.IsTimeout ? "timeout" : "transport_error", ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
        {
            return Done(Kind.Retry, null, "hub_error", ex.GetType().Name + ": " + ex.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Done(Kind.Deferred);
        }
    }

    /// <summary>
    /// Demo mode: installs the hand-added website in the simulator, once per drain. True for the calls of the round
    /// that did it (they all met not_subscribed before the install); a not_subscribed in a later round is real.
    /// </summary>
    private bool LearnInDemo()
    {
        if (demoWebsites is null)
        {
            return false;
        }

        lock (_demoGate)
        {
            if (_demoInstallRound is null)
            {
                demoWebsites.Install(_tenant);
                _demoInstallRound = _round;
            }

            return _demoInstallRound == _round;
        }
    }

    /// <summary>The HTTP status of the last request in the trace; null when the call made none or it got no answer.</summary>
    private static int? LastStatus(List<string> trace) =>
        trace.Count > 0 && int.TryParse(trace[^1][(trace[^1].LastIndexOf('→') + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture, out var status)
            ? status
            : null;

    /// <summary>The status of the last request in the trace when it failed (5xx, or 0 for no answer).</summary>
    private static int? LastFailure(List<string> trace)
    {
        if (trace.Count == 0)
        {
            return null;
        }

        var last = trace[^1];
        var status = last[(last.LastIndexOf('→') + 1)..].Trim();
        return int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? code >= 500 ? code : null
            : 0;
    }

    private async Task<int> RecordAsync(Guid tenantId, Batch batch, ConcurrentDictionary<long, Result> results, PeopleCache people, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var o = O;
        var rateLimited = results.Values.Where(r => r.Kind == Kind.RateLimited).ToList();
        DateTimeOffset? backoffUntil = null;
        if (rateLimited.Count > 0)
        {
            var retryAfter = rateLimited.Max(r => r.RetryAfter);
            var n = batch.State.ConsecutiveRateLimits + 1;
            // A Retry-After of 0 (or less) names no wait: retrying 50–250 ms later landed in the window that had just
            // refused, so it counts as none given.
            var delay = retryAfter is { } given && given > TimeSpan.Zero
                ? given + TimeSpan.FromMilliseconds(Random.Shared.Next(50, 250))
                : Jitter(Min(o.RateLimitBackoffMax, o.RateLimitBackoffBase * Math.Pow(2, n - 1)), 1.0, 1.2);
            backoffUntil = now + delay;
        }

        var delivered = 0;
        var uninstalled = false;
        foreach (var call in batch.Calls)
        {
            call.LeaseOwner = null;
            call.LeaseExpiresAt = null;
            if (!results.TryGetValue(call.Id, out var result) || result.Kind is Kind.Deferred or Kind.Requeue)
            {
                // Never tried in this round (budget, order, or a rate limit stopped the batch): back in line.
                call.Status = call.Attempts > 0 ? CrispCallStatus.Retrying : CrispCallStatus.Queued;
                if (backoffUntil is { } until && call.NextAttemptAt < until)
                {
                    call.NextAttemptAt = until;
                }

                continue;
            }

            var afterUnknown = call.LastReason == "timeout";
            call.Attempts++;
            call.LastHttpStatus = result.HttpStatus;
            call.LastReason = result.Reason;
            call.LastError = Truncate(result.Error, 2000);
            var outcome = "sent";
            switch (result.Kind)
            {
                case Kind.Sent:
                case Kind.Skipped:
                    call.Status = CrispCallStatus.Sent;
                    call.CompletedAt = now;
                    call.LastError = null;
                    call.MessageFingerprint = result.MessageFingerprint ?? call.MessageFingerprint;
                    outcome = result.Kind == Kind.Skipped ? "skipped" : "sent";
                    delivered++;
                    if (call.Kind == CrispCallKinds.HelpdeskPathMove)
                    {
                        await HelpdeskDraftMoves.FollowAsync(db, call.Payload, now, ct);
                    }

                    break;
                case Kind.Retry:
                case Kind.Unknown:
                    call.FailedAttempts++;
                    if (call.FailedAttempts >= o.MaxAttempts)
                    {
                        call.Status = CrispCallStatus.Dead;
                        call.CompletedAt = now;
                        outcome = "dead";
                    }
                    else
                    {
                        call.Status = CrispCallStatus.Retrying;
                        call.NextAttemptAt = now + RetryDelay(call.FailedAttempts);
                        outcome = result.Kind == Kind.Unknown ? "unknown" : "retry";
                    }

                    break;
                case Kind.RateLimited:
                    call.Status = CrispCallStatus.Retrying;
                    call.NextAttemptAt = backoffUntil ?? now;
                    outcome = "rate_limited";
                    break;
                case Kind.QuotaExhausted:
                    call.Status = CrispCallStatus.Retrying;
                    call.NextAttemptAt = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
                    outcome = "rate_limited";
                    break;
                case Kind.NotSubscribed:
                    call.Status = CrispCallStatus.Paused;
                    outcome = "paused";
                    uninstalled = true;
                    break;
                default:
                    call.Status = CrispCallStatus.Dead;
                    call.CompletedAt = now;
                    outcome = "dead";
                    break;
            }

            db.Set<CrispCallAttempt>().Add(new CrispCallAttempt
            {
                TenantId = tenantId,
                CallId = call.Id,
                Number = call.Attempts,
                StartedAt = result.StartedAt,
                DurationMs = result.DurationMs,
                Outcome = outcome,
                HttpStatus = result.HttpStatus,
                Reason = Truncate(result.Reason, 100),
                Request = Truncate($"idempotency-key: {call.IdempotencyKey}{(afterUnknown ? " (retry after an unknown outcome)" : "")}\n{result.Trace}", 20_000),
                Response = Truncate(result.Error, 4000),
            });
        }

        // The tenant's state: give back unused permits, adapt the budget to rate limiting, and note the round.
        var unused = batch.Gate.Remaining;
        for (var tries = 0; ; tries++)
        {
            var state = batch.State;
            var log = SlidingWindowLog.Parse(state.WindowLog);
            log.Refund(batch.ClaimMs, unused);
            state.WindowLog = log.ToString();
            if (backoffUntil is { } until)
            {
                state.BudgetFactor = Math.Max(o.MinBudgetFactor, state.BudgetFactor * o.RateLimitBudgetFactor);
                state.FactorUpdatedAt = now;
                state.ConsecutiveRateLimits++;
                state.BackoffUntil = until;
            }
            else if (delivered > 0)
            {
                state.ConsecutiveRateLimits = 0;
            }

            state.LastDrainAt = now;
            state.Version++;
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateConcurrencyException) when (tries < 3)
            {
                // Someone else touched the state row (a lease claim): keep the outcomes, re-apply on its new version.
                await db.Entry(state).ReloadAsync(ct);
            }
        }

        await quota.RefundAsync(unused, ct);
        if (results.Values.Any(r => r.Kind == Kind.QuotaExhausted))
        {
            await quota.MarkExhaustedAsync(ct);
        }

        await SavePeopleAsync(tenantId, people, ct);
        if (uninstalled)
        {
            logger.LogWarning("Website {WebsiteId} is not subscribed any more: its delivery queue stops.", tenantId);
            batch.Uninstalled = true;
            await lifecycle.UninstallAsync(tenantId, ct);
        }

        return delivered;
    }

    private TimeSpan RetryDelay(int failures)
    {
        var o = O;
        var raw = o.RetryBaseDelay * Math.Pow(o.RetryMultiplier, failures - 1);
        return Jitter(Min(o.RetryMaxDelay, raw), 0.8, 1.2);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Jitter(TimeSpan delay, double low, double high) =>
        delay * (low + (Random.Shared.NextDouble() * (high - low)));

    private async Task<PeopleCache> LoadPeopleAsync(List<CrispCall> calls, CancellationToken ct)
    {
        var emails = calls.Select(c => EmailOf(c.Payload)).OfType<string>().Distinct().ToList();
        if (emails.Count == 0)
        {
            return new PeopleCache(new Dictionary<string, string>());
        }

        var known = await db.Set<CrispPeopleEntry>().AsNoTracking().Where(p => emails.Contains(p.Email))
            .ToDictionaryAsync(p => p.Email, p => p.PeopleId, ct);
        return new PeopleCache(known);
    }

    private async Task SavePeopleAsync(Guid tenantId, PeopleCache people, CancellationToken ct)
    {
        if (people.Changes.Count == 0)
        {
            return;
        }

        db.ChangeTracker.Clear();
        var emails = people.Changes.Keys.ToList();
        var rows = await db.Set<CrispPeopleEntry>().Where(p => emails.Contains(p.Email)).ToDictionaryAsync(p => p.Email, ct);
        var now = clock.GetUtcNow();
        foreach (var (email, peopleId) in people.Changes)
        {
            rows.TryGetValue(email, out var row);
            if (peopleId is null)
            {
                if (row is not null)
                {
                    db.Remove(row);
                }
            }
            else if (row is null)
            {
                db.Add(new CrispPeopleEntry { TenantId = tenantId, Email = email, PeopleId = peopleId, UpdatedAt = now });
            }
            else if (row.PeopleId != peopleId)
            {
                row.PeopleId = peopleId;
                row.UpdatedAt = now;
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueKeyViolation.Is(ex) || ex is DbUpdateConcurrencyException)
        {
            // A cache, not a record: another drain wrote the same email first, or removed the row meanwhile.
            logger.LogDebug(ex, "people_id cache write skipped");
        }
        catch (DbUpdateException ex)
        {
            // Still only a cache: the calls' outcomes are what must be saved, and the next event asks Crisp again.
            logger.LogWarning(ex, "people_id cache write failed");
        }

        db.ChangeTracker.Clear();
    }

    private static int EstimatedCost(CrispCall call, PeopleCache people)
    {
        var cached = EmailOf(call.Payload) is not { } email || people.Get(email) is not null;
        var addsSegments = call.Kind == CrispCallKinds.PeopleProfileUpsert && AddsSegments(call.Payload);
        return CrispCallExecutor.EstimatedCost(call.Kind, cached, addsSegments);
    }

    private static bool AddsSegments(string payload)
    {
        try
        {
            return JsonNode.Parse(payload) is JsonObject o && o["segments"] is JsonArray { Count: > 0 };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? EmailOf(string payload)
    {
        try
        {
            return JsonNode.Parse(payload) is JsonObject o && o["email"] is JsonValue v && v.TryGetValue<string>(out var email)
                ? PeopleCache.Key(email)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<bool> TrySaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private async Task ReleaseAsync(string leaseToken)
    {
        var now = clock.GetUtcNow();
        await db.Set<TenantDeliveryState>().Where(s => s.DrainOwner == leaseToken)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.DrainOwner, (string?)null)
                .SetProperty(x => x.DrainLeaseUntil, (DateTimeOffset?)null)
                .SetProperty(x => x.LastDrainAt, now)
                .SetProperty(x => x.Version, x => x.Version + 1), CancellationToken.None);
    }

    private static string? Truncate(string? text, int max) => text is null ? null : TextCut.Truncate(text, max);
}
