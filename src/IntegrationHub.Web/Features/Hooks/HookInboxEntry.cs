namespace IntegrationHub.Web.Features.Hooks;

/// <summary>
/// A verified Crisp hook, stored before it is acknowledged. Hub-wide on purpose: a hook can arrive for a website
/// that is not a tenant yet (an install). The processor restores the tenant context from <see cref="WebsiteId"/>.
/// </summary>
public sealed class HookInboxEntry
{
    public long Id { get; set; }

    /// <summary>Same event delivered again (Crisp retry, replay) → same key → stored once.</summary>
    public required string DedupKey { get; set; }

    public Guid? WebsiteId { get; set; }

    public required string Event { get; set; }

    public required string Payload { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>processed, ignored (unknown website or event) or failed.</summary>
    public string? Outcome { get; set; }
}
