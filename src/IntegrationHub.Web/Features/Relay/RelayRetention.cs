using Hangfire;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Relay;

/// <summary>
/// The daily clean-up of the relay's outbox, for every tenant: deliveries in a final state (sent or failed) created and
/// last attempted longer than <see cref="RelayOptions.Retention"/> ago go, with their attempts, in batches of
/// <see cref="BatchSize"/> deliveries, each batch its own short transaction. Queued, retrying and sending rows are
/// never touched. A replay keeps its <see cref="RelayDelivery.ReplayOfId"/> when the delivery it replays is purged
/// (there is no foreign key): the API still shows the id, the dashboard says the original is no longer kept.
/// </summary>
public sealed class RelayRetention(HubDbContext db, IOptions<RelayOptions> options, TimeProvider clock, ILogger<RelayRetention> logger)
{
    /// <summary>Deliveries one batch deletes at most (with their attempts: at most nine each, one per try).</summary>
    internal const int BatchSize = 500;

    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.Retention;
        var purged = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = await Expired(cutoff).OrderBy(d => d.CreatedAt).Select(d => d.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            purged += await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                // Attempts first (no reliance on the cascade), then the deliveries, the condition checked again.
                await db.Set<RelayDeliveryAttempt>().AcrossTenants().Where(a => ids.Contains(a.DeliveryId)).ExecuteDeleteAsync(cancellationToken);
                var deleted = await Expired(cutoff).Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return deleted;
            });
            if (ids.Count < BatchSize)
            {
                break;
            }
        }

        if (purged > 0)
        {
            logger.LogInformation("Relay: {Count} finished deliveries older than {Retention} purged with their attempts", purged, options.Value.Retention);
        }

        return purged;
    }

    /// <summary>Sent or failed, and neither created nor last attempted within the retention. Final rows never change
    /// status again (a replay is a new row), so the attempts of a row selected here are its last.</summary>
    private IQueryable<RelayDelivery> Expired(DateTimeOffset cutoff) =>
        db.Set<RelayDelivery>().AcrossTenants()
            .Where(d => (d.Status == RelayDeliveryStatus.Sent || d.Status == RelayDeliveryStatus.Failed)
                && d.CreatedAt < cutoff && (d.LastAttemptAt == null || d.LastAttemptAt < cutoff));
}
