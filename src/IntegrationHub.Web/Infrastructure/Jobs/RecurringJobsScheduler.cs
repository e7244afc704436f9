using Hangfire;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Idempotency;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Infrastructure.Crisp;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Jobs;

/// <summary>
/// Declares the hub's recurring jobs when this node runs Hangfire workers, and queues a full installation sync at
/// start-up. With in-memory Hangfire storage the schedule is lost on restart and re-declared here; the database, not
/// Hangfire, says what work exists.
/// </summary>
public sealed class RecurringJobsScheduler(IRecurringJobManager recurring, IBackgroundJobClient jobs, IOptions<InstallationOptions> installations, IServiceProvider services)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<DemoModeBootstrapper>() is { } demo)
        {
            // Demo mode: the simulator's state is in memory, so after a restart it knows no website until the
            // bootstrapper has installed them in it again; a sync before that would find every website gone and
            // uninstall it (calls paused, API keys refused) only for the bootstrapper to reinstall it a moment later.
            // The bootstrapper runs the start-up full sync itself, once the simulator knows the websites.
            try
            {
                await demo.Ready.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // The bootstrapper logged why its set-up failed; the schedule runs all the same.
            }

            Declare();
            return;
        }

        Declare();
        jobs.Enqueue<InstallationSync>(s => s.FullSyncAsync(CancellationToken.None));
    }

    private void Declare()
    {
        var options = installations.Value;
        recurring.AddOrUpdate<InstallationSync>("installations-full-sync", s => s.FullSyncAsync(CancellationToken.None), options.FullSyncCron);
        recurring.AddOrUpdate<InstallationSync>("installations-catch-up", s => s.CatchUpAsync(CancellationToken.None), options.CatchUpCron);
        recurring.AddOrUpdate<TenantRetention>("tenants-retention-purge", s => s.PurgeExpiredAsync(CancellationToken.None), Cron.Daily(3));
        recurring.AddOrUpdate<HookProcessor>("hooks-sweep", s => s.ProcessPendingAsync(CancellationToken.None), Cron.Minutely());
        // Safety net beside each node's dispatcher loop: visible in the dashboard, and enough on its own to finish work.
        recurring.AddOrUpdate<DeliveryDispatcher>("delivery-dispatch", d => d.DispatchAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<RelaySender>("relay-drain", s => s.DrainAsync(CancellationToken.None), Cron.Minutely());
        // Bounded batches each: see HookInboxRetention and RelayRetention.
        recurring.AddOrUpdate<HookInboxRetention>("hooks-inbox-purge", s => s.PurgeExpiredAsync(CancellationToken.None), Cron.Daily(3, 30));
        recurring.AddOrUpdate<RelayRetention>("relay-retention-purge", s => s.PurgeExpiredAsync(CancellationToken.None), Cron.Daily(4));
        recurring.AddOrUpdate<IdempotencyStore>("idempotency-purge", s => s.PurgeExpiredAsync(CancellationToken.None), Cron.Hourly());
    }
}
