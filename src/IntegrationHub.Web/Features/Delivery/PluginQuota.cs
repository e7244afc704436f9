using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// The plugin token's daily quota, shared by every tenant and node: one row per UTC day, taken with a conditional
/// UPDATE (<c>used + n &lt;= pause threshold</c>) so concurrent drains cannot overspend it. When the threshold is
/// reached, claims stop — calls wait in the queue for the next day; nothing is dropped.
/// </summary>
public sealed class PluginQuota(HubDbContext db, IOptions<DeliveryOptions> options, TimeProvider clock)
{
    public int PauseAt => (int)Math.Floor(options.Value.DailyQuota * options.Value.QuotaPauseThreshold);

    /// <summary>Takes up to <paramref name="wanted"/> requests of today's quota; returns how many were granted, never
    /// fewer than <paramref name="atLeast"/> (the claim's first call): when what is left before the pause point cannot
    /// cover that, deliveries pause as at the pause point. Granting it piecemeal left the first call out of reach all
    /// day while the quota read "not paused", so nothing said why calls stayed queued.</summary>
    public async Task<int> TakeAsync(int wanted, CancellationToken ct, int atLeast = 1)
    {
        if (options.Value.DailyQuota == 0 || wanted <= 0)
        {
            return wanted;
        }

        var day = Today();
        var limit = PauseAt;
        for (var round = 0; round < 3; round++)
        {
            var n = wanted;
            var taken = await db.Set<PluginQuotaDay>().Where(q => q.Day == day && q.Used + n <= limit)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.Used, q => q.Used + n), ct);
            if (taken == 1)
            {
                return n;
            }

            var row = await db.Set<PluginQuotaDay>().AsNoTracking().FirstOrDefaultAsync(q => q.Day == day, ct);
            if (row is null)
            {
                await EnsureRowAsync(day, ct);
                continue;
            }

            wanted = Math.Min(wanted, limit - row.Used);
            if (wanted <= 0 || wanted < atLeast)
            {
                // What is left (less than one call needs) stays unused: it is within the margin the threshold keeps.
                var now = clock.GetUtcNow();
                await db.Set<PluginQuotaDay>().Where(q => q.Day == day && q.PausedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(q => q.PausedAt, now), ct);
                await db.Set<PluginQuotaDay>().Where(q => q.Day == day && q.Used < limit)
                    .ExecuteUpdateAsync(s => s.SetProperty(q => q.Used, limit), ct);
                return 0;
            }
        }

        return 0;
    }

    /// <summary>
    /// Gives back requests taken but not made — until today's deliveries paused: a drain that claimed the last
    /// requests before the pause used to give them back after it, un-pausing the day (the dashboard's banner came and
    /// went, and calls started again, or after Crisp's own <c>quota_limit_exceeded</c>, were sent into it).
    /// </summary>
    public async Task RefundAsync(int unused, CancellationToken ct)
    {
        if (options.Value.DailyQuota == 0 || unused <= 0)
        {
            return;
        }

        var day = Today();
        await db.Set<PluginQuotaDay>().Where(q => q.Day == day && q.Used >= unused && q.PausedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Used, q => q.Used - unused), ct);
    }

    /// <summary>Crisp itself said the quota is spent: stop claiming for the rest of the day.</summary>
    public async Task MarkExhaustedAsync(CancellationToken ct)
    {
        var day = Today();
        await EnsureRowAsync(day, ct);
        var now = clock.GetUtcNow();
        var limit = PauseAt;
        await db.Set<PluginQuotaDay>().Where(q => q.Day == day)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Used, limit).SetProperty(q => q.PausedAt, now), ct);
    }

    public async Task<QuotaStatus> GetStatusAsync(CancellationToken ct)
    {
        var day = Today();
        var row = await db.Set<PluginQuotaDay>().AsNoTracking().FirstOrDefaultAsync(q => q.Day == day, ct);
        var used = row?.Used ?? 0;
        var paused = options.Value.DailyQuota > 0 && used >= PauseAt;
        return new QuotaStatus(day, used, options.Value.DailyQuota, PauseAt, paused);
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private async Task EnsureRowAsync(DateOnly day, CancellationToken ct)
    {
        if (await db.Set<PluginQuotaDay>().AnyAsync(q => q.Day == day, ct))
        {
            return;
        }

        var entry = db.Set<PluginQuotaDay>().Add(new PluginQuotaDay { Day = day });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (UniqueKeyViolation.Is(e))
        {
            // Another node created today's row first.
        }
        finally
        {
            entry.State = EntityState.Detached;
        }
    }
}

public sealed record QuotaStatus(DateOnly Day, int Used, int DailyQuota, int PauseAt, bool Paused);
