using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>A tenant's mapping rule. Its content lives in versions: editing adds a version, history never changes.</summary>
public sealed class Rule : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>The version new events are matched against.</summary>
    public Guid CurrentVersionId { get; set; }

    public int CurrentVersion { get; set; }

    /// <summary>Set for the built-in presets (e.g. "support-context"), so switching one on twice finds the same rule.</summary>
    public string? Preset { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One immutable version of a rule's definition. Deliveries record which version produced them.</summary>
public sealed class RuleVersion : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid RuleId { get; set; }

    public int Version { get; set; }

    /// <summary><see cref="RuleDefinition"/> as JSON.</summary>
    public required string Definition { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Who saved it (user email or "api"), for the audit trail.</summary>
    public string? CreatedBy { get; set; }
}
