using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Idempotency;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Events;

public enum EventOutcomeKind
{
    Accepted,
    Duplicate,
    Conflict,
}

/// <summary>What happened to one event: stored with this id, or a duplicate/conflicting message_id of that id.</summary>
public readonly record struct EventOutcome(EventOutcomeKind Kind, Guid EventId);

/// <summary>
/// One API request's share of a group commit: its validated events (null where an item was rejected), its
/// idempotency intent, and how to turn the outcomes into the answer (which is stored under the key in the same
/// transaction).
/// </summary>
public sealed class IngestRequest
{
    public required Guid TenantId { get; init; }

    public required IReadOnlyList<ProductEvent?> Events { get; init; }

    public IdempotencyKeys.Intent? Idempotency { get; init; }

    public required Func<IReadOnlyList<EventOutcome?>, IdempotencyKeys.StoredResult> Respond { get; init; }

    internal TaskCompletionSource<IResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal int EventCount => Events.Count;

    internal int ValidEventCount
    {
        get
        {
            var valid = 0;
            foreach (var productEvent in Events)
            {
                valid += productEvent is null ? 0 : 1;
            }

            return valid;
        }
    }

    internal long QueuedAt { get; set; }
}

/// <summary>The ingest writer is stopping or the database refused the commit: nothing of the request was stored.</summary>
public sealed class IngestUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Group commit for ingestion. Requests validate on their own threads, then queue their rows here; a loop takes
/// everything queued (up to a bound), writes it in ONE transaction — per tenant in its own scope (tenant context
/// set, query filters and the save-time tenant check on) over one shared connection and transaction — and only
/// after the commit completes each request, which then answers 202. A failed commit is retried request by
/// request (each twice at most), so one poisoned request fails alone, and a request that lost a unique-key race to
/// another commit loop answers from the winner's row; a request whose own commits fail gets 503, never "accepted".
/// Repeated message ids are found by a lookup before the insert, or (<see cref="MessageIdCheck.InsertFirst"/>) by
/// the unique index refusing the insert, after which the whole commit is done again with the lookup.
/// </summary>
public sealed class EventIngestWriter(IServiceScopeFactory scopes, TimeProvider clock, IOptions<IngestOptions> options,
    IOptions<DatabaseOptions> database, InsertFirstGate insertFirst, IngestMetrics metrics, ILogger<EventIngestWriter> logger)
    : BackgroundService
{
    private readonly Channel<IngestRequest> _queue = Channel.CreateBounded<IngestRequest>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Queues the request and returns the answer once its rows are committed (or why they are not).</summary>
    public Task<IResult> SubmitAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        request.QueuedAt = Stopwatch.GetTimestamp();
        // The queue has room almost always: then the request simply waits for its commit, with no state machine of its own.
        return _queue.Writer.TryWrite(request) ? request.Completion.Task : SubmitWhenRoomAsync(request, cancellationToken);
    }

    // Requests waiting for room in the full queue: the depth gauge counts them too, or it would flatten at capacity
    // exactly when the backlog grows.
    private int _waitingForRoom;

    private async Task<IResult> SubmitWhenRoomAsync(IngestRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waitingForRoom);
        try
        {
            await _queue.Writer.WriteAsync(request, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new IngestUnavailableException("The hub is shutting down.", e);
        }
        finally
        {
            Interlocked.Decrement(ref _waitingForRoom);
        }

        // Not cancellable once queued: the rows may be committing right now, and the answer must say so.
        return await request.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // On shutdown, stop taking requests but commit what is queued: those callers are waiting for an answer.
        await using var registration = stoppingToken.Register(() => _queue.Writer.TryComplete());
        metrics.ObserveQueue(() => _queue.Reader.Count + Volatile.Read(ref _waitingForRoom));
        var writers = options.Value.Writers > 0 ? options.Value.Writers
            : database.Value.Provider == DatabaseProvider.Sqlite ? 1 : Math.Clamp(Environment.ProcessorCount / 4, 1, 4);
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(CommitLoopAsync, CancellationToken.None)));
    }

    private async Task CommitLoopAsync()
    {
        var batch = new List<IngestRequest>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            var events = 0;
            while (batch.Count < options.Value.MaxRequestsPerCommit && events < options.Value.MaxEventsPerCommit
                   && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
                events += request.EventCount;
            }

            try
            {
                await CommitWithFallbackAsync(batch);
            }
            catch (Exception e)
            {
                // Nothing expected reaches here (a throwing log provider or meter listener could): whoever is still
                // waiting gets 503 rather than no answer ever, and this loop goes on with the next batch.
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(new IngestUnavailableException("The events could not be stored.", e));
                }
            }
        }
    }

    private async Task CommitWithFallbackAsync(List<IngestRequest> batch)
    {
        var lookUpFirst = !insertFirst.IsOpen;
        while (true)
        {
            // Only the commit (and its scope's disposal) is inside the try: whatever follows it must never make a
            // committed batch be done again.
            Committed committed;
            var started = Stopwatch.GetTimestamp();
            try
            {
                committed = await CommitAsync(batch, lookUpFirst);
            }
            catch (Exception e) when (!lookUpFirst && UniqueKeyViolation.Is(e))
            {
                // A message id (or Idempotency-Key) already stored — a client's retry — or committed meanwhile by
                // another loop or node refused the insert, and the whole commit rolled back: nothing of it was
                // written, nobody was answered. Again, looking first.
                logger.LogDebug(e, "A unique index refused a group commit's insert; committing it again after a lookup");
                insertFirst.Refused();
                metrics.InsertRefused();
                lookUpFirst = true;
                continue;
            }
            catch (Exception e) when (DatabaseUnavailable.Is(e))
            {
                // The database is down, not one request poisoned: retrying each request alone would hold every caller
                // for a connect timeout per request. Fail them all now with 503; their clients retry.
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(new IngestUnavailableException("The database is unavailable.", e));
                }

                logger.LogWarning("Group commit of {Count} ingest requests failed, database unavailable: {Message}", batch.Count, e.GetBaseException().Message);
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Group commit of {Count} ingest requests failed; committing them one by one", batch.Count);
                break;
            }

            metrics.Committed(Stopwatch.GetElapsedTime(started), batch.Count, batch.Sum(r => r.ValidEventCount));
            Complete(batch, committed);
            return;
        }

        // One by one, each twice at most: a request that lost a race on a unique key (a message_id or Idempotency-Key
        // committed meanwhile by another commit loop or node) finds the winner's row on its retry and answers from it.
        foreach (var request in batch)
        {
            for (var attempt = 1; ; attempt++)
            {
                Committed committed;
                try
                {
                    committed = await CommitAsync([request], lookUpFirst: true);
                }
                catch (Exception e) when (attempt < 2 && !DatabaseUnavailable.Is(e))
                {
                    logger.LogDebug(e, "Ingest request commit failed; retrying once");
                    continue;
                }
                catch (Exception e)
                {
                    Fail(request, e);
                    break;
                }

                Complete([request], committed);
                break;
            }
        }
    }

    private void Fail(IngestRequest request, Exception e)
    {
        request.Completion.TrySetException(new IngestUnavailableException("The events could not be stored.", e));
        logger.LogError(e, "Ingest commit failed for tenant {TenantId}", request.TenantId);
    }

    /// <summary>What one commit stored: each request's answer, and the rule problems of its events.</summary>
    private sealed record Committed(Dictionary<IngestRequest, IResult> Results, List<RuleProblem> Problems);

    /// <summary>
    /// Tells a committed batch's rule problems (stored with its events) in the log, once (see <see cref="EventPlan"/>),
    /// then answers its requests: a caller that has its answer finds the problems already in the log.
    /// </summary>
    private void Complete(List<IngestRequest> batch, Committed committed)
    {
        foreach (var problem in committed.Problems)
        {
            if (!problem.Logged)
            {
                continue;
            }

            try
            {
                logger.LogInformation("Event {EventId}, rule {Rule} v{Version}: {Error}", problem.EventId, problem.Rule, problem.Version, problem.Error);
            }
            catch (Exception)
            {
                // A failing log provider cannot be told through the log; the batch is committed and its callers wait.
            }
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var request in batch)
        {
            request.Completion.TrySetResult(committed.Results[request]);
        }

        foreach (var request in batch)
        {
            metrics.Answered(Stopwatch.GetElapsedTime(request.QueuedAt, now));
        }
    }

    /// <summary>
    /// One commit. Once COMMIT has returned the batch is stored: a failure while releasing the transaction, the scopes
    /// or the connection afterwards must not make the caller do the batch again (events without a message id would be
    /// stored twice, and the others answered "duplicate" of themselves), so it is logged and the answers stand.
    /// </summary>
    private async Task<Committed> CommitAsync(List<IngestRequest> batch, bool lookUpFirst)
    {
        var stored = new StrongBox<Committed?>();
        try
        {
            return await CommitOnceAsync(batch, lookUpFirst, stored);
        }
        catch (Exception e) when (stored.Value is not null)
        {
            try
            {
                logger.LogWarning(e, "Releasing the transaction of a committed group of {Count} ingest requests failed; they are answered", batch.Count);
            }
            catch (Exception)
            {
                // The batch is committed and its callers wait; a failing log provider changes neither.
            }

            return stored.Value;
        }
    }

    private async Task<Committed> CommitOnceAsync(List<IngestRequest> batch, bool lookUpFirst, StrongBox<Committed?> stored)
    {
        var results = new Dictionary<IngestRequest, IResult>(batch.Count);
        var problems = new List<RuleProblem>();
        var now = clock.GetUtcNow();

        // The first tenant's scope owns the connection and the transaction (a context costs real CPU to create, and
        // most commits hold one tenant); any further tenant gets its own scope — tenant context set, query filters and
        // the save-time tenant check on — over the same connection and transaction.
        var groups = batch.GroupBy(r => r.TenantId).ToList();
        await using var owner = scopes.CreateAsyncScope();
        owner.ServiceProvider.GetRequiredService<TenantContext>().Use(groups[0].Key);
        var ownerDb = owner.ServiceProvider.GetRequiredService<HubDbContext>();
        await using var transaction = await ownerDb.Database.BeginTransactionAsync();
        ownerDb.ChangeTracker.AutoDetectChangesEnabled = false;
        await WriteTenantAsync(owner.ServiceProvider, ownerDb, groups[0].ToList(), now, lookUpFirst, results, problems);

        var connection = ownerDb.Database.GetDbConnection();
        var dbTransaction = transaction.GetDbTransaction();
        foreach (var group in groups.Skip(1))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(group.Key);
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            await db.Database.UseTransactionAsync(dbTransaction);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await WriteTenantAsync(scope.ServiceProvider, db, group.ToList(), now, lookUpFirst, results, problems);
        }

        // COMMIT itself rather than EF's CommitAsync, which also closes the connection it opened: a failure there
        // would be indistinguishable from a failed COMMIT. The transaction's disposal below does that closing.
        await transaction.GetDbTransaction().CommitAsync();
        stored.Value = new Committed(results, problems);
        return stored.Value;
    }

    /// <summary>
    /// The stored events (of the context's tenant) with these message ids: every commit asks, so it must cost one
    /// index probe per id whatever the planner believes. Two traps, both measured: a LINQ <c>Contains</c> on the
    /// nullable column made EF add a null-compensating OR (<c>= ANY(@ids) OR (MessageId IS NULL AND
    /// array_position(@ids, NULL) IS NOT NULL)</c>) the index cannot answer; and even without it PostgreSQL, with
    /// statistics taken while the table was small, turned a few hundred ids into a scan of all the tenant's events
    /// (a batch commit took ~1 s at 900,000 rows). On PostgreSQL a lateral join makes it one probe of the
    /// (TenantId, MessageId) index per id; the tenant query filter still applies on top. SQLite (no statistics)
    /// always probes the index for an IN list; SQL Server gets the plain LINQ.
    /// </summary>
    internal static IQueryable<ProductEvent> WithMessageIds(HubDbContext db, IReadOnlyCollection<string> messageIds)
    {
        if (db.Database.IsNpgsql())
        {
            var ids = messageIds.ToArray();
            var tenant = db.CurrentTenantId;
            return db.Set<ProductEvent>().FromSql($"""
                SELECT p.* FROM unnest({ids}) AS m(id)
                CROSS JOIN LATERAL (SELECT * FROM product_events AS e WHERE e."TenantId" = {tenant} AND e."MessageId" = m.id LIMIT 1) AS p
                """);
        }

        return db.Set<ProductEvent>().Where(e => e.MessageId != null && messageIds.Contains(e.MessageId));
    }

    private static async Task WriteTenantAsync(IServiceProvider services, HubDbContext db, List<IngestRequest> requests, DateTimeOffset now,
        bool lookUpFirst, Dictionary<IngestRequest, IResult> results, List<RuleProblem> problems)
    {
        // What is already stored for the message ids and keys in this group (read inside the transaction). Without
        // the lookup, only repeats within the commit are known here; the unique index refuses repeats of stored ones.
        var known = new Dictionary<string, (Guid Id, string Hash)>(StringComparer.Ordinal);
        var messageIds = lookUpFirst
            ? requests.SelectMany(r => r.Events).Where(e => e?.MessageId is not null).Select(e => e!.MessageId!).Distinct().ToList()
            : [];
        if (messageIds.Count > 0)
        {
            foreach (var row in await WithMessageIds(db, messageIds).AsNoTracking()
                         .Select(e => new { e.MessageId, e.Id, e.ContentHash }).ToListAsync())
            {
                known[row.MessageId!] = (row.Id, row.ContentHash);
            }
        }

        var keys = requests.Where(r => r.Idempotency is not null).Select(r => r.Idempotency!.Key).Distinct().ToList();
        var records = keys.Count == 0
            ? new Dictionary<string, IdempotencyRecord>(StringComparer.Ordinal)
            : await db.Set<IdempotencyRecord>().AsTracking().Where(r => keys.Contains(r.Key)).ToDictionaryAsync(r => r.Key, StringComparer.Ordinal);

        var accepted = new List<ProductEvent>();
        foreach (var request in requests)
        {
            var intent = request.Idempotency;
            if (intent is not null && records.TryGetValue(intent.Key, out var record) && record.ExpiresAt > now)
            {
                results[request] = record.RequestHash == intent.RequestHash ? IdempotencyKeys.Replay(record) : IdempotencyKeys.Conflict();
                continue;
            }

            var outcomes = new EventOutcome?[request.Events.Count];
            for (var i = 0; i < request.Events.Count; i++)
            {
                if (request.Events[i] is not { } productEvent)
                {
                    continue;
                }

                if (productEvent.MessageId is { } messageId && known.TryGetValue(messageId, out var original))
                {
                    outcomes[i] = new EventOutcome(original.Hash == productEvent.ContentHash ? EventOutcomeKind.Duplicate : EventOutcomeKind.Conflict, original.Id);
                    continue;
                }

                productEvent.TenantId = request.TenantId;
                productEvent.AcceptedAt = now;
                accepted.Add(productEvent);
                if (productEvent.MessageId is { } newId)
                {
                    known[newId] = (productEvent.Id, productEvent.ContentHash);
                }

                outcomes[i] = new EventOutcome(EventOutcomeKind.Accepted, productEvent.Id);
            }

            var response = request.Respond(outcomes);
            results[request] = response;
            if (intent is not null && response.Status is >= 200 and < 300)
            {
                if (!records.TryGetValue(intent.Key, out var stored))
                {
                    stored = new IdempotencyRecord { Id = Guid.CreateVersion7(now), Key = intent.Key, RequestHash = intent.RequestHash, ResponseBody = response.Body };
                    db.Add(stored);
                    records[intent.Key] = stored;
                }

                // An expired record of the key is reused in place; a later request of this batch with the key sees this one.
                IdempotencyStore.Fill(stored, intent, response.Status, response.Body, response.Location, now);
            }
        }

        // Events first (the outbox calls planned for them refer to their ids), then everything tracked.
        await EventRowWriter.InsertAsync(db, accepted);
        if (accepted.Count > 0)
        {
            var plan = await services.GetRequiredService<IEventActionPlanner>().PlanAsync(accepted, CancellationToken.None);
            problems.AddRange(plan.Problems);
            // Stored with the events (the rare rule that matched without a call: a rule with calls is known by them).
            foreach (var problem in plan.Problems)
            {
                db.Add(EventRuleProblem.From(problem));
            }

            var outbox = services.GetRequiredService<CrispCallOutbox>();
            foreach (var call in plan.Calls)
            {
                outbox.Enqueue(call.Kind, call.Payload, call.OrderingKey, call.EventId, call.RuleVersionId);
            }
        }

        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync();
    }
}
