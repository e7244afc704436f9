using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// One Crisp call the hub owes a tenant: the outbox row. Written in the same transaction as whatever produced it
/// (an accepted event's mapped actions, a context push, a settings write-back, a helpdesk publish), so "accepted"
/// always means "will be delivered or dead-lettered with a reason". The database, not Hangfire, is the truth.
/// </summary>
public sealed class CrispCall : ITenantOwned
{
    /// <summary>The most characters of JSON a call's payload may hold (its column's size).</summary>
    public const int PayloadMaxLength = 100_000;

    /// <summary>Monotonic: for one contact, a lower id was accepted earlier and is delivered first.</summary>
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>What to do; one of <see cref="CrispCallKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The action's arguments as JSON (shape per kind, see <see cref="CrispCallKinds"/>).</summary>
    public required string Payload { get; set; }

    /// <summary>Calls with the same key (a contact's email, lower-cased) are delivered in id order.</summary>
    public string? OrderingKey { get; set; }

    /// <summary>The accepted product event this call came from, if any.</summary>
    public Guid? EventId { get; set; }

    /// <summary>The rule version that produced it, if any (rules are versioned; history never changes).</summary>
    public Guid? RuleVersionId { get; set; }

    public CrispCallStatus Status { get; set; } = CrispCallStatus.Queued;

    public int Attempts { get; set; }

    /// <summary>Retryable failures (5xx, timeouts, connection errors) since the call was queued or replayed; rate
    /// limiting does not count. Reaching <see cref="DeliveryOptions.MaxAttempts"/> dead-letters the call.</summary>
    public int FailedAttempts { get; set; }

    /// <summary>When the call may next be tried (now for new calls; later after a retryable failure).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The node draining it and until when; an expired lease means the node died mid-drain.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public int? LastHttpStatus { get; set; }

    /// <summary>Crisp's reason (e.g. people_not_found) or the hub's (timeout, transport_error).</summary>
    public string? LastReason { get; set; }

    public string? LastError { get; set; }

    /// <summary>For a sent conversation message: the fingerprint Crisp answered with, so its <c>message:received</c>
    /// echo is recognised by identity rather than by text.</summary>
    public long? MessageFingerprint { get; set; }

    /// <summary>Stable across retries: "call-{Id}". Sent nowhere Crisp would honour it (Crisp has no idempotency header), but logged so a retry after an unknown outcome can be told apart.</summary>
    public string IdempotencyKey => $"call-{Id}";
}
