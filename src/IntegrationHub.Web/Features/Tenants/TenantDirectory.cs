using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Tenants;

/// <summary>Hub-wide reads and the administrator's manual install. The Crisp-driven lifecycle builds on it.</summary>
public sealed class TenantDirectory(HubDbContext db, TenantContext tenant, TimeProvider clock)
{
    public Task<List<Tenant>> ListAllAsync(CancellationToken cancellationToken) =>
        db.Tenants.AcrossTenants().AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// A hub administrator's manual install, for development without Crisp. Acts in the new tenant's scope so
    /// the save-time tenant check applies like everywhere else.
    /// </summary>
    public async Task<Tenant> AddManualAsync(Guid websiteId, string name, string? domain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (await db.Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId, cancellationToken))
        {
            throw new InvalidOperationException($"Website {websiteId:D} is already a tenant.");
        }

        tenant.Use(websiteId);
        var now = clock.GetUtcNow();
        var row = new Tenant
        {
            Id = websiteId,
            Name = name.Trim(),
            Domain = domain,
            Status = TenantStatus.Active,
            Source = TenantSource.Manual,
            InstalledAt = now,
            UpdatedAt = now,
        };
        db.Tenants.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }
}
