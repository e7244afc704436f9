using Hangfire;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Idempotency;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Relay;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Jobs;

/// <summary>
/// Declares the hub's recurring jobs when this node runs Hangfire workers. With in-memory Hangfire storage the
/// schedule is lost on restart and re-declared here; the database, not Hangfire, says what work exists.
/// </summary>
public sealed class RecurringJobsScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs, IOptions<InstallationOptions> installations) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = installations.Value;
        recurring.AddOrUpdate<InstallationSync>("installations-full-sync", s => s.FullSyncAsync(CancellationToken.None), options.FullSyncCron);
        recurring.AddOrUpdate<InstallationSync>("installations-catch-up", s => s.CatchUpAsync(CancellationToken.None), options.CatchUpCron);
        recurring.AddOrUpdate<TenantRetention>("tenants-retention-purge", s => s.PurgeExpiredAsync(CancellationToken.None), Cron.Daily(3));
        recurring.AddOrUpdate<HookProcessor>("hooks-sweep", s => s.ProcessPendingAsync(CancellationToken.None), Cron.Minutely());
        // Safety net beside each node's dispatcher loop: visible in the dashboard, and enough on its own to finish work.
        recurring.AddOrUpdate<DeliveryDispatcher>("delivery-dispatch", d => d.DispatchAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<RelaySender>("relay-drain", s => s.DrainAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<IdempotencyStore>("idempotency-purge", s => s.PurgeExpiredAsync(CancellationToken.None), Cron.Hourly());
        jobs.Enqueue<InstallationSync>(s => s.FullSyncAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
