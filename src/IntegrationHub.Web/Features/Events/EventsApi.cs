using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Idempotency;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Events;

public static partial class EventsApi
{
    public const int SingleMaxBytes = 64 * 1024;
    public const int BatchMaxBytes = 512 * 1024;
    public const int BatchMaxEvents = 500;
    public const int PageDefault = 50;
    public const int PageMax = 200;

    // A batch's answer is remembered under its Idempotency-Key in a column of IdempotencyRecord.ResponseBodyMaxLength
    // characters, and a field error costs the client a few bytes (an unknown field "a":0) but the answer a hundred or
    // more (path and message, non-ASCII as six-character escapes): a 489 KB batch answered 5 MB, which on PostgreSQL
    // could not be remembered and was a 503 at every try. These bound the listing to well under the column.
    public const int MaxErrorsPerItem = 10;
    public const int MaxErrorsPerBatch = 1_000;
    public const int MaxErrorPathLength = 100;

    // ISO-8601 only: a date, or a date and time with an optional offset (UTC without one). DateTimeOffset.TryParse
    // alone also read "07/12/2026" (as July 12) and "Dec 7 2026".
    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,9})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SincePattern();

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/events", PostEventAsync)
            .WithName("PostEvent")
            .AcceptsIdempotencyKey()
            .WithTags("Events")
            .WithSummary("Send one product event")
            .WithDescription("Answers 202 once the event is committed in the hub's database; mapping it to Crisp calls and delivering them "
                + "happens afterwards. Send a message_id (and/or an Idempotency-Key header) so that retrying after a timeout cannot "
                + "store the event twice. Body: at most 64 KB.")
            .Accepts<EventRequest>("application/json")
            .Produces<EventAcceptedResponse>(StatusCodes.Status202Accepted)
            .WithStandardErrors(withBody: true, conflict: true);

        api.MapPost("/events/batch", PostBatchAsync)
            .WithName("PostEventBatch")
            .AcceptsIdempotencyKey()
            .WithTags("Events")
            .WithSummary("Send up to 500 events at once")
            .WithDescription("Each item is validated and stored on its own: one bad item is rejected in its result and does not reject the "
                + "others. The answer (202) lists, in request order, each item's status: accepted, duplicate (its message_id was "
                + "accepted before; the original id is given) or rejected (with a reason and field errors). Everything accepted is "
                + "committed before the answer. At most 500 events and 512 KB.")
            .Accepts<EventBatchRequest>("application/json")
            .Produces<EventBatchResponse>(StatusCodes.Status202Accepted)
            .WithStandardErrors(withBody: true, conflict: true);

        api.MapGet("/events/{id}", GetEventAsync)
            .WithName("GetEvent")
            .WithTags("Events")
            .WithSummary("An accepted event, the rules it matched and its deliveries")
            .WithDescription("matched_rules lists every rule version (its id) that matched the event when it was accepted, whether or not "
                + "it made a Crisp call. Each delivery is a Crisp call the event caused, with the rule version behind it and its state: "
                + "queued, sending, sent, retrying (with next_attempt_at) or dead (with last_error). rule_problems says, for each rule "
                + "that matched but could not make (one of) its calls, why: e.g. a people action for an event without email, a template "
                + "that renders nothing or fails, or product events switched off in the plugin settings. An event that matched no rule "
                + "has both lists empty; both are fixed when the event is accepted (editing a rule later does not change them).")
            .Produces<EventResponse>()
            .WithStandardErrors(withBody: false, notFound: true, validation: false);

        api.MapGet("/deliveries", ListDeliveriesAsync)
            .WithName("ListDeliveries")
            .WithTags("Deliveries")
            .WithSummary("The delivery log, page by page")
            .WithDescription("Your website's Crisp calls (from events, contact pushes and the hub's own writes), oldest first, at most limit a "
                + "page. Follow next_cursor while has_more is true; the cursor is opaque: pass it back as is, with the same status and since. "
                + "The cursor walks calls in creation order, so one walk lists a call at most once. "
                + "status filters on each call's state when its page is read, and a call's state changes as it is delivered "
                + "(queued, sending, then sent, or retrying and at last dead; a replayed dead call is queued again): a status walk does not "
                + "list a call that reaches the status after the cursor passed it, nor one that left it before its page was read. "
                + "So a status walk answers 'which calls are in this state now', not 'which calls reached it since I last looked'. "
                + "To collect new dead letters, read status=dead again from the start (or with since set to a time before the oldest "
                + "call you have not yet seen settle, e.g. two days ago: with the default settings a failing call retries for about 22 hours, longer while Crisp rate-limits the website or the plugin is paused) and skip the ids you have already handled; "
                + "to follow one event's calls, read GET /api/v1/events/{id}.")
            .Produces<DeliveryPage>()
            .WithStandardErrors(withBody: false);
        return api;
    }

    private static async Task<IResult> PostEventAsync(HttpContext http, EventIngestWriter writer, TenantContext tenant, TimeProvider clock,
        IOptions<JsonOptions> json)
    {
        var (body, problem) = await JsonRequestReader.ReadAsync(http.Request, SingleMaxBytes, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var (intent, keyProblem) = IdempotencyKeys.Read(http.Request, body!.Bytes);
            if (keyProblem is not null)
            {
                return keyProblem;
            }

            var errors = new FieldErrors();
            var productEvent = EventRules.Read(body.Root, string.Empty, errors, clock.GetUtcNow());
            if (productEvent is null)
            {
                return ApiProblems.Validation(errors.ToDictionary());
            }

            var options = json.Value.SerializerOptions;
            return await SubmitAsync(writer, new IngestRequest
            {
                TenantId = tenant.Require(),
                Events = [productEvent],
                Idempotency = intent,
                Respond = outcomes =>
                {
                    var outcome = outcomes[0]!.Value;
                    if (outcome.Kind == EventOutcomeKind.Conflict)
                    {
                        return new IdempotencyKeys.StoredResult(StatusCodes.Status409Conflict, string.Empty, null, false);
                    }

                    var status = outcome.Kind == EventOutcomeKind.Accepted ? "accepted" : "duplicate";
                    return new IdempotencyKeys.StoredResult(StatusCodes.Status202Accepted,
                        JsonSerializer.Serialize(new EventAcceptedResponse(outcome.EventId, status), options), Location(outcome.EventId), false);
                },
            }, http.RequestAborted);
        }
    }

    private static async Task<IResult> PostBatchAsync(HttpContext http, EventIngestWriter writer, TenantContext tenant, TimeProvider clock,
        IOptions<JsonOptions> json)
    {
        var (body, problem) = await JsonRequestReader.ReadAsync(http.Request, BatchMaxBytes, http.RequestAborted);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var (intent, keyProblem) = IdempotencyKeys.Read(http.Request, body!.Bytes);
            if (keyProblem is not null)
            {
                return keyProblem;
            }

            var root = body.Root;
            var envelope = new FieldErrors();
            if (root.ValueKind != JsonValueKind.Object)
            {
                envelope.Add("$", $"The body is an object {{\"events\": [...]}}, not {FieldErrors.Describe(root.ValueKind)}.");
                return ApiProblems.Validation(envelope.ToDictionary());
            }

            envelope.RejectUnknown(root, string.Empty, "events");
            if (!root.TryGetProperty("events", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                envelope.Add("events", "Required: an array of 1–500 events.");
            }
            else if (items.GetArrayLength() is 0 or > BatchMaxEvents)
            {
                envelope.Add("events", $"Send 1–{BatchMaxEvents} events (got {items.GetArrayLength()}).");
            }

            if (envelope.Any)
            {
                return ApiProblems.Validation(envelope.ToDictionary());
            }

            var now = clock.GetUtcNow();
            var events = new List<ProductEvent?>(items.GetArrayLength());
            var itemErrors = new List<IDictionary<string, string[]>?>(items.GetArrayLength());
            foreach (var item in items.EnumerateArray())
            {
                var errors = new FieldErrors();
                events.Add(EventRules.Read(item, string.Empty, errors, now));
                itemErrors.Add(errors.Any ? errors.ToDictionary() : null);
            }

            var options = json.Value.SerializerOptions;
            return await SubmitAsync(writer, new IngestRequest
            {
                TenantId = tenant.Require(),
                Events = events,
                Idempotency = intent,
                Respond = outcomes => new IdempotencyKeys.StoredResult(StatusCodes.Status202Accepted,
                    JsonSerializer.Serialize(BatchResponse(outcomes, itemErrors), options), null, false),
            }, http.RequestAborted);
        }
    }

    private static EventBatchResponse BatchResponse(IReadOnlyList<EventOutcome?> outcomes, List<IDictionary<string, string[]>?> itemErrors)
    {
        var results = new List<EventBatchItemResult>(outcomes.Count);
        int accepted = 0, duplicates = 0, rejected = 0, errorBudget = MaxErrorsPerBatch;
        for (var i = 0; i < outcomes.Count; i++)
        {
            switch (outcomes[i])
            {
                case null:
                    rejected++;
                    results.Add(new EventBatchItemResult(i, "rejected", null, "invalid", Listed(itemErrors[i], ref errorBudget)));
                    break;
                case { Kind: EventOutcomeKind.Accepted } outcome:
                    accepted++;
                    results.Add(new EventBatchItemResult(i, "accepted", outcome.EventId, null, null));
                    break;
                case { Kind: EventOutcomeKind.Duplicate } outcome:
                    duplicates++;
                    results.Add(new EventBatchItemResult(i, "duplicate", outcome.EventId, null, null));
                    break;
                case { } outcome:
                    rejected++;
                    results.Add(new EventBatchItemResult(i, "rejected", outcome.EventId, "message_id_conflict",
                        new Dictionary<string, string[]> { ["message_id"] = ["This message_id was already used for a different event (see id)."] }));
                    break;
            }
        }

        return new EventBatchResponse(accepted, duplicates, rejected, results);
    }

    /// <summary>
    /// An invalid item's errors as its result lists them: at most <see cref="MaxErrorsPerItem"/> messages, fewer when the
    /// batch has listed <see cref="MaxErrorsPerBatch"/>, paths cut to <see cref="MaxErrorPathLength"/> characters; what
    /// is left out is counted under "$".
    /// </summary>
    private static Dictionary<string, string[]>? Listed(IDictionary<string, string[]>? errors, ref int budget)
    {
        if (errors is null)
        {
            return null;
        }

        var room = Math.Min(MaxErrorsPerItem, budget);
        var listed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var left = 0;
        foreach (var (path, messages) in errors)
        {
            foreach (var message in messages)
            {
                if (room == 0)
                {
                    left++;
                    continue;
                }

                var at = path.Length > MaxErrorPathLength ? path[..(MaxErrorPathLength - 1)] + "…" : path;
                if (!listed.TryGetValue(at, out var list))
                {
                    listed[at] = list = [];
                }

                list.Add(message);
                room--;
                budget--;
            }
        }

        if (left > 0)
        {
            // "$" is otherwise only an item's error when it is not an object, which has no other.
            listed["$"] = [$"{left} more error{(left == 1 ? "" : "s")} not listed (at most {MaxErrorsPerItem} per item and {MaxErrorsPerBatch} per batch)."];
        }

        return listed.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static async Task<IResult> SubmitAsync(EventIngestWriter writer, IngestRequest request, CancellationToken cancellationToken)
    {
        IResult result;
        try
        {
            result = await writer.SubmitAsync(request, cancellationToken);
        }
        catch (IngestUnavailableException)
        {
            return ApiProblems.Unavailable("The hub could not store the request right now; nothing was stored. Retry after the delay given in Retry-After.");
        }

        if (result is IdempotencyKeys.StoredResult { Status: StatusCodes.Status409Conflict, Body.Length: 0 })
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, ApiProblems.MessageIdConflict, "message_id reused",
                "This message_id was already used for a different event; nothing was stored. Use a new message_id for a new event.");
        }

        return result;
    }

    private static string Location(Guid id) => $"/api/v1/events/{id:D}";

    private static async Task<IResult> GetEventAsync(string id, HubDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var eventId))
        {
            return ApiProblems.NotFoundProblem("No event with this id (event ids are UUIDs).");
        }

        // Tenant-filtered: another website's event is exactly as absent as one that never existed.
        var found = await db.Set<ProductEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (found is null)
        {
            return ApiProblems.NotFoundProblem("No event with this id.");
        }

        var calls = await db.Set<CrispCall>().AsNoTracking().Where(c => c.EventId == eventId).OrderBy(c => c.Id).ToListAsync(cancellationToken);
        var problems = await db.Set<EventRuleProblem>().AsNoTracking().Where(p => p.EventId == eventId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        using var properties = JsonDocument.Parse(found.Properties);
        return TypedResults.Ok(new EventResponse(
            found.Id, found.Name, found.Email, found.UserId, properties.RootElement.Clone(), found.OccurredAt, found.AcceptedAt, found.MessageId,
            MatchedRuleVersions(calls, problems),
            calls.Select(ToResponse).ToList(),
            problems.Select(p => new RuleProblemResponse(p.RuleVersionId, p.Rule, p.Version, p.Reason)).ToList()));
    }

    /// <summary>
    /// Every rule version that matched the event: those its calls name (in call order), then those that matched
    /// without making all their calls (recorded with the event), each once.
    /// </summary>
    internal static List<Guid> MatchedRuleVersions(IEnumerable<CrispCall> calls, IEnumerable<EventRuleProblem> problems) =>
        calls.Where(c => c.RuleVersionId is not null).Select(c => c.RuleVersionId!.Value)
            .Concat(problems.Select(p => p.RuleVersionId))
            .Distinct().ToList();

    private static async Task<IResult> ListDeliveriesAsync(HubDbContext db, CancellationToken cancellationToken,
        string? status = null, string? since = null, string? cursor = null, string? limit = null)
    {
        // An empty parameter is a parameter left out: the issue writes the route "?status=&since=&cursor=", and a client
        // that passes back a null next_cursor (nothing listed yet) sends "cursor=". Both were 422s.
        status = NullIfEmpty(status);
        since = NullIfEmpty(since);
        cursor = NullIfEmpty(cursor);
        limit = NullIfEmpty(limit);
        var errors = new FieldErrors();
        CrispCallStatus? statusFilter = null;
        if (status is not null)
        {
            if (TryReadStatus(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors.Add("status", "One of: queued, sending, sent, retrying, dead, paused.");
            }
        }

        DateTimeOffset? sinceFilter = null;
        if (since is not null)
        {
            if (SincePattern().IsMatch(since) && DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                sinceFilter = parsed.ToUniversalTime();
            }
            else
            {
                errors.Add("since", "An ISO-8601 date and time, e.g. 2026-11-25T09:00:00Z (an offset's '+' is sent as %2B).");
            }
        }

        long after = 0;
        if (cursor is not null && !TryReadCursor(cursor, out after))
        {
            errors.Add("cursor", "Not a cursor this API gave out; pass next_cursor back unchanged.");
        }

        var pageSize = PageDefault;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > PageMax))
        {
            errors.Add("limit", $"A whole number from 1 to {PageMax}.");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var query = db.Set<CrispCall>().AsNoTracking().Where(c => c.Id > after);
        if (statusFilter is { } s)
        {
            query = query.Where(c => c.Status == s);
        }

        if (sinceFilter is { } from)
        {
            query = query.Where(c => c.CreatedAt >= from);
        }

        var rows = await query.OrderBy(c => c.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var hasMore = rows.Count > pageSize;
        var page = rows.Take(pageSize).Select(ToResponse).ToList();
        var next = page.Count > 0 ? WriteCursor(page[^1].Id) : cursor;
        return TypedResults.Ok(new DeliveryPage(page, next, hasMore));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>One status by its name. (Enum.TryParse also reads "queued,sent" as the two values OR-ed together, which is "sent".)</summary>
    private static bool TryReadStatus(string text, out CrispCallStatus status)
    {
        foreach (var value in Enum.GetValues<CrispCallStatus>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                status = value;
                return true;
            }
        }

        status = default;
        return false;
    }

    internal static DeliveryResponse ToResponse(CrispCall c) => new(
        c.Id, c.Kind, c.Status.ToString().ToLowerInvariant(), c.Attempts,
        c.Status is CrispCallStatus.Queued or CrispCallStatus.Retrying ? c.NextAttemptAt : null,
        c.LastHttpStatus, c.LastReason, c.LastError, c.EventId, c.RuleVersionId, c.OrderingKey, c.CreatedAt, c.CompletedAt);

    private static string WriteCursor(long id) =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"c1:{id.ToString(CultureInfo.InvariantCulture)}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadCursor(string cursor, out long id)
    {
        id = 0;
        if (cursor.Length is 0 or > 64)
        {
            return false;
        }

        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        Span<byte> bytes = stackalloc byte[64];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }

        var text = System.Text.Encoding.ASCII.GetString(bytes[..written]);
        return text.StartsWith("c1:", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id >= 0;
    }
}
