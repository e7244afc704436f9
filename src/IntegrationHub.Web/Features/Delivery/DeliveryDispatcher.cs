using Hangfire;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// Finds tenants with due calls and hands each one drain job, least recently drained first (round-robin), so a
/// tenant with a huge backlog holds one worker at most and never queues ahead of a quiet tenant. The database says
/// what is due; a lease on the tenant's state row (conditional UPDATE) makes one drain per tenant hub-wide. After a
/// crash or a wiped Hangfire storage, expired leases are simply claimed again: nothing is lost, only time.
/// </summary>
public sealed class DeliveryDispatcher(HubDbContext db, IServiceScopeFactory scopes, PluginQuota quota, IBackgroundJobClient jobs, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<DeliveryDispatcher> logger)
{
    private static readonly string Node = $"{Environment.MachineName}:{Environment.ProcessId}";

    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if ((await quota.GetStatusAsync(cancellationToken)).Paused)
        {
            return 0;
        }

        var due = await db.ActiveTenantsWithDueCalls(now).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var states = db.Set<TenantDeliveryState>().AcrossTenants();
        var known = await states.Where(s => due.Contains(s.TenantId)).Select(s => s.TenantId).ToListAsync(cancellationToken);
        foreach (var missing in due.Except(known))
        {
            await CreateStateAsync(missing, cancellationToken);
        }

        var ready = await states.AsNoTracking()
            .Where(s => due.Contains(s.TenantId)
                && (s.DrainLeaseUntil == null || s.DrainLeaseUntil < now)
                && (s.BackoffUntil == null || s.BackoffUntil <= now)
                && (s.NextPermitAt == null || s.NextPermitAt <= now))
            .Select(s => new { s.TenantId, s.Version, s.LastDrainAt })
            .ToListAsync(cancellationToken);

        var dispatched = 0;
        foreach (var candidate in ready.OrderBy(s => s.LastDrainAt ?? DateTimeOffset.MinValue))
        {
            var token = $"{Node}:{Guid.NewGuid():N}";
            var leaseUntil = now + options.Value.LeaseDuration;
            var version = candidate.Version;
            var claimed = await states.Where(s => s.TenantId == candidate.TenantId && s.Version == version)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.DrainOwner, token)
                    .SetProperty(x => x.DrainLeaseUntil, leaseUntil)
                    .SetProperty(x => x.Version, x => x.Version + 1), cancellationToken);
            if (claimed == 1)
            {
                jobs.Enqueue<DeliveryDrain>(d => d.DrainAsync(candidate.TenantId, token, CancellationToken.None));
                dispatched++;
            }
        }

        return dispatched;
    }

    /// <summary>The state row is the tenant's own: written in that tenant's scope like every tenant row.</summary>
    private async Task CreateStateAsync(Guid tenantId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        var tenantDb = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        tenantDb.Set<TenantDeliveryState>().Add(new TenantDeliveryState { TenantId = tenantId });
        try
        {
            await tenantDb.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueKeyViolation.Is(ex))
        {
            logger.LogDebug(ex, "Delivery state of {TenantId} was created by another node", tenantId);
        }
        catch (DbUpdateException ex)
        {
            // One tenant's row (e.g. a tenant purged mid-pass) must not stop the pass for every other tenant.
            logger.LogWarning(ex, "Delivery state of {TenantId} could not be created; its calls wait for the next pass", tenantId);
        }
    }
}

/// <summary>Each node running Hangfire workers runs the dispatcher every <see cref="DeliveryOptions.DispatchInterval"/>.</summary>
public sealed class DeliveryDispatchLoop(IServiceScopeFactory scopes, IOptions<DeliveryOptions> options, TimeProvider clock, ILogger<DeliveryDispatchLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DeliveryDispatcher>().DispatchAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Delivery dispatch pass failed; the next one retries.");
            }

            try
            {
                await Task.Delay(options.Value.DispatchInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
