namespace IntegrationHub.Web.Features.Hooks;

public sealed class HookOptions
{
    public const string Section = "Hooks";

    /// <summary>How far X-Crisp-Request-Timestamp may be from now (either way) before a hook counts as a replay.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a finished hook (processed, ignored or parked as failed) stays in <c>hook_inbox</c>: its dedup
    /// key must outlive any redelivery of it by Crisp, which would otherwise be processed (and relayed) again.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The shortest <see cref="InboxRetention"/> start-up accepts. Crisp documents neither its retry schedule
    /// nor how long it keeps retrying (crisp-api.md, Web Hooks), only that Plugin Hooks are retried up to
    /// <c>X-Delivery-Attempt-Limit</c> times; a week is far beyond any webhook retry window seen in practice (hours to
    /// three days), and beyond the hub's own longest retry chain (about a day).</summary>
    public static readonly TimeSpan MinInboxRetention = TimeSpan.FromDays(7);

    /// <summary>Largest hook body accepted.</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The smallest limit start-up accepts: below it even Crisp's smallest hooks would be refused.</summary>
    public const int MinBodyBytes = 1024;

    /// <summary>The largest limit start-up accepts: what <c>hook_inbox.payload</c> (and a relay delivery's copy) holds, in
    /// characters — a UTF-8 body has at most one character per byte. Above it a signed hook was answered 500 on
    /// PostgreSQL, and Crisp's retries lost it.</summary>
    public const int MaxStoredBodyBytes = 300_000;
}
