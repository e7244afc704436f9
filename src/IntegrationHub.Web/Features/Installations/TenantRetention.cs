using Hangfire;
using IntegrationHub.Web.Features.Events;
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
        var purged = 0;
        foreach (var websiteId in expired)
        {
            purged += await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                // Re-checked in the delete itself: a reinstall between the read and here keeps the tenant.
                var deleted = await db.Tenants.AcrossTenants()
                    .Where(t => t.Id == websiteId && t.Status == TenantStatus.Uninstalled && t.UninstalledAt < cutoff)
                    .ExecuteDeleteAsync(cancellationToken);
                if (deleted > 0)
                {
                    // Everything else goes with the tenant row (cascade); product events have no foreign key (see
                    // ProductEventConfiguration), so they are deleted here, in the same transaction.
                    await db.Set<ProductEvent>().AcrossTenants().Where(e => e.TenantId == websiteId).ExecuteDeleteAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return deleted;
            });
            logger.LogInformation("Website {WebsiteId}: data purged after retention", websiteId);
        }

        return purged;
    }
}
