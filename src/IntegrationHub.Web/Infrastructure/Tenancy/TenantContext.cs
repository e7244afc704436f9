namespace IntegrationHub.Web.Infrastructure.Tenancy;

/// <summary>
/// The tenant the current request or job acts for. Resolved from an API key, a dashboard membership, a hook's
/// website_id or a job argument — never from a tenant id the caller merely sends. Empty means "no tenant":
/// tenant-owned queries then return nothing, and tenant-owned writes are refused.
/// </summary>
public sealed class TenantContext
{
    public Guid? TenantId { get; private set; }

    public bool HasTenant => TenantId is not null;

    public void Use(Guid tenantId)
    {
        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("A tenant id cannot be empty.", nameof(tenantId));
        }

        if (TenantId is { } current && current != tenantId)
        {
            // One scope serves one tenant: switching mid-scope would let cached entities cross the boundary.
            throw new TenantScopeViolationException(
                $"This scope already acts for tenant {current}; create a new scope to act for another tenant.");
        }

        TenantId = tenantId;
    }

    public Guid Require() =>
        TenantId ?? throw new TenantScopeViolationException("This operation needs a tenant context and none is set.");
}
