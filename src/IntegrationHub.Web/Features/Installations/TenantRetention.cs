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
            purged += await PurgeAsync(websiteId, cutoff, cancellationToken) ? 1 : 0;
        }

        return purged;
    }

    /// <summary>
    /// Deletes one website found expired, unless it was reinstalled since it was read (the delete re-checks); says
    /// which, in its answer and in the log.
    /// </summary>
    internal async Task<bool> PurgeAsync(Guid websiteId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var rows = await db.Tenants.AcrossTenants()
                .Where(t => t.Id == websiteId && t.Status == TenantStatus.Uninstalled && t.UninstalledAt < cutoff)
                .ExecuteDeleteAsync(cancellationToken);
            if (rows > 0)
            {
                // Everything else goes with the tenant row (cascade); product events have no foreign key (see
                // ProductEventConfiguration), so they are deleted here, in the same transaction.
                await db.Set<ProductEvent>().AcrossTenants().Where(e => e.TenantId == websiteId).ExecuteDeleteAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return rows > 0;
        });
        if (deleted)
        {
            logger.LogInformation("Website {WebsiteId}: data purged after retention", websiteId);
        }
        else
        {
            logger.LogInformation("Website {WebsiteId}: kept, reinstalled (or gone) since it was found past retention", websiteId);
        }

        return deleted;
    }
}
