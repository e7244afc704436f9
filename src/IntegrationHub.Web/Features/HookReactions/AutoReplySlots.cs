using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary>The current tenant's hourly auto-reply cap, held in the database so it holds across threads and nodes.</summary>
public sealed class AutoReplySlots(HubDbContext db, ILogger<AutoReplySlots> logger)
{
    /// <summary>Creates slots 0 … cap − 1 that do not exist yet. Outside the reply's transaction: a concurrent hook
    /// creating the same rows wins, and its rows serve this hook as well.</summary>
    public async Task EnsureAsync(int cap, CancellationToken cancellationToken)
    {
        var existing = await db.Set<AutoReplySlot>().AsNoTracking().Where(s => s.Slot < cap).Select(s => s.Slot).ToListAsync(cancellationToken);
        if (existing.Count >= cap)
        {
            return;
        }

        db.Set<AutoReplySlot>().AddRange(Enumerable.Range(0, cap).Except(existing).Select(slot => new AutoReplySlot { Slot = slot }));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueKeyViolation.Is(ex))
        {
            logger.LogDebug(ex, "Auto-reply slots created by a concurrent hook.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Takes a slot unused in the last hour; false when all <paramref name="cap"/> were used within it. Call inside
    /// the transaction that stages the reply: the conditional UPDATE re-checks the slot under its row lock, so two
    /// hooks never take the same slot, and a rolled-back reply gives its slot back.
    /// </summary>
    public async Task<bool> TakeAsync(int cap, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hourAgo = now - TimeSpan.FromHours(1);
        // Every failed UPDATE means another hook took that slot, so this ends after at most cap misses.
        for (var round = 0; round <= cap; round++)
        {
            var free = await db.Set<AutoReplySlot>().AsNoTracking()
                .Where(s => s.Slot < cap && (s.UsedAt == null || s.UsedAt < hourAgo))
                .OrderBy(s => s.Slot).Select(s => s.Slot).Take(8).ToListAsync(cancellationToken);
            if (free.Count == 0)
            {
                return false;
            }

            // A random order spreads concurrent hooks over different rows instead of queueing them on the lowest.
            foreach (var slot in free.OrderBy(_ => Random.Shared.Next()))
            {
                var taken = await db.Set<AutoReplySlot>()
                    .Where(s => s.Slot == slot && (s.UsedAt == null || s.UsedAt < hourAgo))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), cancellationToken);
                if (taken == 1)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
