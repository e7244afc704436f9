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
    /// the save-time tenant check applies like everywhere else. An uninstalled website (its data kept for the
    /// retention time) is installed again by hand: active, hand-added from now on (so no sync undoes it), its
    /// paused Crisp calls back in line — as a reinstall from Crisp would.
    /// </summary>
    public async Task<Tenant> AddManualAsync(Guid websiteId, string name, string? domain, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var existing = await db.Tenants.AcrossTenants().SingleOrDefaultAsync(t => t.Id == websiteId, cancellationToken);
        if (existing is { Status: TenantStatus.Active })
        {
            throw new InvalidOperationException($"Website {websiteId:D} is already a tenant.");
        }

        tenant.Use(websiteId);
        var now = clock.GetUtcNow();
        if (existing is not null)
        {
            return await ReinstallManuallyAsync(existing, name, domain, now, cancellationToken);
        }

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

    private async Task<Tenant> ReinstallManuallyAsync(Tenant row, string name, string? domain, DateTimeOffset now, CancellationToken cancellationToken)
    {
        row.Status = TenantStatus.Active;
        row.Source = TenantSource.Manual;
        row.UninstalledAt = null;
        row.InstalledAt = now;
        row.UpdatedAt = now;
        row.Name = name.Trim();
        row.Domain = domain ?? row.Domain;
        // One commit: never an active tenant whose calls stay paused, nor queued calls of an uninstalled one.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await Delivery.DeliveryAdmin.ResumePausedAsync(db, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row;
    }
}
