using System.Text.Json;

namespace IntegrationHub.Web.Features.Events;

// The documented shapes of the events API. Requests are read and validated from the raw JSON (see EventRules) so
// that every mistake gets a field error; these types describe the same shapes for the OpenAPI document.

/// <summary>One product event that happened in your product.</summary>
public sealed record EventRequest
{
    /// <summary>Required. The event's name: 1–100 characters of letters, digits, spaces and _ . : / - (e.g. "signed_up", "Order Completed").</summary>
    public required string Event { get; init; }

    /// <summary>Who did it: the person's email (lower-cased by the hub; Crisp keys people on email). Give email, user_id or both.</summary>
    public string? Email { get; init; }

    /// <summary>Your own id for the person (at most 128 characters). Give email, user_id or both.</summary>
    public string? UserId { get; init; }

    /// <summary>Anything about the event, as a JSON object: may nest up to 5 levels, at most 32 KB.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Properties { get; init; }

    /// <summary>When it happened: ISO-8601 with an offset (e.g. 2026-11-25T09:30:00Z); defaults to when the hub accepts it. At most 1 hour ahead, 1 year back.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Your id for this event (printable ASCII, at most 128 characters). An event with a message_id already accepted is a duplicate: it is answered with the original event's id and stored once.</summary>
    public string? MessageId { get; init; }
}

/// <summary>Several events in one request: at most 500 events and 512 KB.</summary>
public sealed record EventBatchRequest
{
    /// <summary>1–500 events, each with the shape of a single event.</summary>
    public required IReadOnlyList<EventRequest> Events { get; init; }
}

/// <summary>The event is committed: it will be mapped to Crisp calls and delivered.</summary>
/// <param name="Id">The hub's id of the event (for a duplicate, of the original): GET /api/v1/events/{id}.</param>
/// <param name="Status">"accepted" (stored now) or "duplicate" (its message_id was accepted before; nothing new stored).</param>
public sealed record EventAcceptedResponse(Guid Id, string Status);

/// <summary>One item's result in a batch, in request order.</summary>
/// <param name="Index">Position of the item in "events".</param>
/// <param name="Status">"accepted", "duplicate" or "rejected".</param>
/// <param name="Id">The event id (accepted), or the original event's id (duplicate, or a rejected message_id conflict).</param>
/// <param name="Reason">Why an item was rejected: "invalid" (see errors) or "message_id_conflict" (the message_id was used for a different event).</param>
/// <param name="Errors">For "invalid": field path within the item → what is wrong.</param>
public sealed record EventBatchItemResult(int Index, string Status, Guid? Id, string? Reason, IDictionary<string, string[]>? Errors);

/// <summary>Per-item results of a batch; the accepted and duplicate items are committed.</summary>
public sealed record EventBatchResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<EventBatchItemResult> Results);

/// <summary>A Crisp call the hub owes for an event or a contact push, and how its delivery is going.</summary>
/// <param name="Id">The call's id (monotonic).</param>
/// <param name="Kind">The Crisp action, e.g. "people.data.merge".</param>
/// <param name="Status">"queued", "sending", "sent", "retrying" (see next_attempt_at), "dead" (see last_error), "paused" (website uninstalled).</param>
/// <param name="Attempts">Tries so far.</param>
/// <param name="NextAttemptAt">When it will next be tried (queued or retrying).</param>
/// <param name="LastHttpStatus">Crisp's HTTP status on the last try.</param>
/// <param name="LastReason">Crisp's (or the hub's) reason on the last try, e.g. "people_not_found", "timeout".</param>
/// <param name="LastError">The last error, for dead and retrying calls.</param>
/// <param name="EventId">The event that caused it, if any.</param>
/// <param name="RuleVersionId">The mapping rule version that produced it, if any.</param>
/// <param name="Contact">The contact's email it is about (its ordering key).</param>
/// <param name="CreatedAt">When the call was staged.</param>
/// <param name="CompletedAt">When it was sent or declared dead.</param>
public sealed record DeliveryResponse(
    long Id,
    string Kind,
    string Status,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    int? LastHttpStatus,
    string? LastReason,
    string? LastError,
    Guid? EventId,
    Guid? RuleVersionId,
    string? Contact,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);

/// <summary>A stored event, the rules it matched, its deliveries and why a matched rule made no call.</summary>
/// <param name="Id">The hub's id of the event.</param>
/// <param name="Event">The event's name.</param>
/// <param name="Email">The person's email, lower-cased.</param>
/// <param name="UserId">Your id for the person.</param>
/// <param name="Properties">The event's properties as sent.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="AcceptedAt">When the hub committed it.</param>
/// <param name="MessageId">Your id for the event.</param>
/// <param name="MatchedRules">Every rule version (id) that matched the event when it was accepted, with calls (see deliveries' rule_version_id) or without (see rule_problems).</param>
/// <param name="Deliveries">The Crisp calls the event caused, oldest first.</param>
/// <param name="RuleProblems">For each rule version that matched but could not make (one of) its calls: why. Empty when every matched rule made its calls.</param>
public sealed record EventResponse(
    Guid Id,
    string Event,
    string? Email,
    string? UserId,
    JsonElement Properties,
    DateTimeOffset Timestamp,
    DateTimeOffset AcceptedAt,
    string? MessageId,
    IReadOnlyList<Guid> MatchedRules,
    IReadOnlyList<DeliveryResponse> Deliveries,
    IReadOnlyList<RuleProblemResponse> RuleProblems);

/// <summary>A rule that matched the event but made no call for (one of) its actions, and why nothing reached Crisp for it.</summary>
/// <param name="RuleVersionId">The rule version that matched (also in matched_rules).</param>
/// <param name="Rule">The rule's name when the event was matched.</param>
/// <param name="Version">The rule's version number.</param>
/// <param name="Reason">Why no call was made, e.g. "action 1 (PeopleEvent): the event has no email, and Crisp keys people by email".</param>
public sealed record RuleProblemResponse(Guid RuleVersionId, string Rule, int Version, string Reason);

/// <summary>One page of the delivery log, oldest first.</summary>
/// <param name="Items">At most "limit" deliveries.</param>
/// <param name="NextCursor">Pass as "cursor" to read on after this page (also to poll for newer deliveries when has_more is false); null only when nothing was ever listed. With a status filter, a later poll lists only calls created after this page that are in the status then: calls that reach it later are not listed (see GET /api/v1/deliveries).</param>
/// <param name="HasMore">Whether more deliveries matched right now.</param>
public sealed record DeliveryPage(IReadOnlyList<DeliveryResponse> Items, string? NextCursor, bool HasMore);
