using Hangfire;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Installations;

/// <summary>Purges websites that stayed uninstalled past the retention period; their rows go with them (cascade).</summary>
public sealed class TenantRetention(HubDbContext db, IOptions<InstallationOptions> options, TimeProvider clock, ILogger<TenantRetention> logger)
{
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        var expired = await db.Tenants.AcrossTenants()
            .Where(t => t.Status == TenantStatus.Uninstalled && t.UninstalledAt != null && t.UninstalledAt < cutoff)
            .Select(t => t.Id)
            .ToListAsync(cancellationToken);
        foreach (var websiteId in expired)
        {
            // Re-checked in the delete itself: a reinstall between the read and here keeps the tenant.
            await db.Tenants.AcrossTenants()
                .Where(t => t.Id == websiteId && t.Status == TenantStatus.Uninstalled && t.UninstalledAt < cutoff)
                .ExecuteDeleteAsync(cancellationToken);
            logger.LogInformation("Website {WebsiteId}: data purged after retention", websiteId);
        }

        return expired.Count;
    }
}
