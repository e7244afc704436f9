using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// One row per tenant, shared by every hub node: the sliding log of budget claims, the adaptive factor and
/// back-off after rate limiting, and the drain lease (one drain per tenant at a time, hub-wide). Every change
/// bumps <see cref="Version"/> (optimistic concurrency), so two nodes cannot spend the same permits.
/// </summary>
public sealed class TenantDeliveryState : ITenantOwned
{
    public Guid TenantId { get; set; }

    public long Version { get; set; }

    /// <summary>Claims still counting against the budget, "unixMs:count;…" (see <see cref="SlidingWindowLog"/>).</summary>
    public string WindowLog { get; set; } = "";

    /// <summary>1 = the full budget; lowered by rate limiting, recovers slowly.</summary>
    public double BudgetFactor { get; set; } = 1;

    public DateTimeOffset? FactorUpdatedAt { get; set; }

    /// <summary>After a 429/420: no call for this tenant before then.</summary>
    public DateTimeOffset? BackoffUntil { get; set; }

    public int ConsecutiveRateLimits { get; set; }

    /// <summary>Earliest time a permit frees (hint for the dispatcher, so it does not wake drains for nothing).</summary>
    public DateTimeOffset? NextPermitAt { get; set; }

    public string? DrainOwner { get; set; }

    public DateTimeOffset? DrainLeaseUntil { get; set; }

    /// <summary>Round-robin order of the dispatcher: least recently drained first.</summary>
    public DateTimeOffset? LastDrainAt { get; set; }
}

/// <summary>Hub-wide: the plugin token's requests on one UTC day, shared by all tenants.</summary>
public sealed class PluginQuotaDay
{
    public DateOnly Day { get; set; }

    public int Used { get; set; }

    /// <summary>When claims were first refused today because the quota is near; shown on the dashboard.</summary>
    public DateTimeOffset? PausedAt { get; set; }
}

/// <summary>email → people_id per tenant, so a repeated event costs one Crisp call. Dropped on people_not_found.</summary>
public sealed class CrispPeopleEntry : ITenantOwned
{
    public Guid TenantId { get; set; }

    public required string Email { get; set; }

    public required string PeopleId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
