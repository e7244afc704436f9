using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>Operator actions on one tenant's outbox (CLI now, dashboard later): replay dead letters, pause, resume, stats.</summary>
public sealed class DeliveryAdmin(HubDbContext db, TimeProvider clock)
{
    /// <summary>Puts dead calls back in the queue with a fresh set of attempts: one call, or all of them.</summary>
    public async Task<int> ReplayAsync(long? callId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var dead = db.Set<CrispCall>().Where(c => c.Status == CrispCallStatus.Dead);
        if (callId is { } id)
        {
            dead = dead.Where(c => c.Id == id);
        }

        return await dead.ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, CrispCallStatus.Queued)
            .SetProperty(c => c.FailedAttempts, 0)
            .SetProperty(c => c.NextAttemptAt, now)
            .SetProperty(c => c.CompletedAt, (DateTimeOffset?)null), ct);
    }

    /// <summary>The tenant uninstalled: its waiting calls stop (kept, not dropped).</summary>
    public static Task<int> PauseQueuedAsync(HubDbContext db, CancellationToken ct) =>
        db.Set<CrispCall>().Where(c => c.Status == CrispCallStatus.Queued || c.Status == CrispCallStatus.Retrying)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CrispCallStatus.Paused), ct);

    /// <summary>The tenant reinstalled: its paused calls go back in line, due now.</summary>
    public static Task<int> ResumePausedAsync(HubDbContext db, DateTimeOffset now, CancellationToken ct) =>
        db.Set<CrispCall>().Where(c => c.Status == CrispCallStatus.Paused)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CrispCallStatus.Queued).SetProperty(c => c.NextAttemptAt, now), ct);

    public async Task<DeliveryStats> StatsAsync(CancellationToken ct)
    {
        var counts = await db.Set<CrispCall>().GroupBy(c => c.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var state = await db.Set<TenantDeliveryState>().AsNoTracking().FirstOrDefaultAsync(ct);
        return new DeliveryStats(counts.ToDictionary(c => c.Key, c => c.Count), state?.BudgetFactor ?? 1, state?.BackoffUntil);
    }

    /// <summary>Hub-wide: every tenant's counts per status.</summary>
    public Task<List<TenantCallCount>> CountsAcrossTenantsAsync(CancellationToken ct) =>
        db.Set<CrispCall>().AcrossTenants().GroupBy(c => new { c.TenantId, c.Status })
            .Select(g => new TenantCallCount(g.Key.TenantId, g.Key.Status, g.Count()))
            .ToListAsync(ct);

    /// <summary>Hub-wide: every tenant's budget factor and back-off, by tenant id.</summary>
    public Task<Dictionary<Guid, TenantDeliveryPace>> StatesAcrossTenantsAsync(CancellationToken ct) =>
        db.Set<TenantDeliveryState>().AcrossTenants().AsNoTracking()
            .ToDictionaryAsync(s => s.TenantId, s => new TenantDeliveryPace(s.BudgetFactor, s.BackoffUntil), ct);
}

public sealed record TenantDeliveryPace(double BudgetFactor, DateTimeOffset? BackoffUntil);

public sealed record DeliveryStats(IReadOnlyDictionary<CrispCallStatus, int> Counts, double BudgetFactor, DateTimeOffset? BackoffUntil);

public sealed record TenantCallCount(Guid TenantId, CrispCallStatus Status, int Count);
