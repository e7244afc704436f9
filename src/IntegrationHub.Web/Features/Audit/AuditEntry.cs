using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Audit;

/// <summary>Who changed what in a tenant, and when: rules, keys, members, settings. Append-only.</summary>
public sealed class AuditEntry : ITenantOwned
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The user's email, "api:{key prefix}", "crisp" (settings page, hooks) or "hub" (jobs).</summary>
    public required string Actor { get; set; }

    /// <summary>e.g. rule.created, rule.updated, rule.disabled, apikey.created, apikey.revoked, member.invited, settings.saved.</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to (a rule name, a key prefix, an email).</summary>
    public string? Target { get; set; }

    /// <summary>Non-secret detail, e.g. "version 3".</summary>
    public string? Details { get; set; }
}
