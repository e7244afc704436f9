using Hangfire;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Hooks;

/// <summary>
/// The daily clean-up of <c>hook_inbox</c>: deletes hooks finished (processed, ignored or parked as failed) longer
/// than <see cref="HookOptions.InboxRetention"/> ago, in batches of <see cref="BatchSize"/>, each its own statement, so
/// one run never holds a long transaction or many locks. A hook still due, or claimed by a worker (under its lease),
/// has no <see cref="HookInboxEntry.ProcessedAt"/> and is never touched. The inbox is hub-wide (a hook can arrive
/// before its website is a tenant), so this runs for every website at once.
/// </summary>
public sealed class HookInboxRetention(HubDbContext db, IOptions<HookOptions> options, TimeProvider clock, ILogger<HookInboxRetention> logger)
{
    /// <summary>Rows one statement deletes at most.</summary>
    internal const int BatchSize = 1000;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        // Finished before the cutoff means received before it too: the dedup key has lived at least the retention.
        var cutoff = clock.GetUtcNow() - options.Value.InboxRetention;
        var purged = 0;
        int deleted;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted = await db.Set<HookInboxEntry>()
                .Where(h => h.ProcessedAt != null && h.ProcessedAt < cutoff && h.ReceivedAt < cutoff)
                .OrderBy(h => h.Id)
                .Take(BatchSize)
                .ExecuteDeleteAsync(cancellationToken);
            purged += deleted;
        }
        while (deleted == BatchSize);

        if (purged > 0)
        {
            logger.LogInformation("Hook inbox: {Count} finished hook(s) older than {Retention} purged", purged, options.Value.InboxRetention);
        }

        return purged;
    }
}
