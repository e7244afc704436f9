using Hangfire;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Installations;

/// <summary>Syncs that fail halfway, or race with hooks, leave every tenant whole and in the right state.</summary>
public sealed class InstallationSyncFaultTests(LiveHubFixture live) : LiveHubTestBase(live), IClassFixture<LiveHubFixture>
{
    [Fact]
    public async Task FullSync_FailingOnSecondPage_LeavesFirstPageTenantsWholeAndRerunCompletes()
    {
        await Simulator.SetHookTargetAsync(null);
        var websites = Enumerable.Range(1, 25).Select(i => Simulator.Install($"Shop {i}")).ToList();
        Simulator.Intercept(async context =>
        {
            if (context.Request.Path.Value!.EndsWith("/plugin/connect/websites/all/2", StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"error\":true,\"reason\":\"service_unavailable\",\"data\":{}}");
                return true;
            }

            return false;
        });

        await Assert.ThrowsAnyAsync<CrispException>(() => Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None)));

        var afterFailure = await WholeTenantsAsync(websites);
        Assert.Equal(20, afterFailure);
        Assert.Null(await LastFullSyncAsync());

        Simulator.Intercept(null);
        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));

        Assert.Equal(new InstallationSync.Result(25, 5, 0, 0), result);
        Assert.Equal(25, await WholeTenantsAsync(websites));
        Assert.NotNull(await LastFullSyncAsync());
    }

    [Fact]
    public async Task FullSync_CancelledMidway_EveryTenantIsAbsentOrWhole()
    {
        await Simulator.SetHookTargetAsync(null);
        var websites = Enumerable.Range(1, 30).Select(i => Simulator.Install($"Shop {i}")).ToList();
        using var cancel = new CancellationTokenSource();
        var served = 0;
        Simulator.Intercept(context =>
        {
            // Cancel while the second page is on its way: the sync stops wherever it is.
            if (context.Request.Path.Value!.Contains("/websites/all/", StringComparison.Ordinal) && Interlocked.Increment(ref served) == 2)
            {
                cancel.Cancel();
            }

            return Task.FromResult(false);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(cancel.Token)));

        var tenants = await CountTenantsAsync();
        Assert.Equal(tenants, await WholeTenantsAsync(websites));
        Assert.Null(await LastFullSyncAsync());
    }

    [Fact]
    public async Task FullSync_WebsiteInstalledByHookWhileSyncRuns_StaysActive()
    {
        await Simulator.SetHookTargetAsync(null);
        var existing = Simulator.Install("Existing");
        await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));
        await Simulator.SetHookTargetAsync(Live.HookUrl);

        // While the sync fetches its last (empty) page, a new website installs and its hook is processed.
        Guid newcomer = default;
        Simulator.Intercept(async context =>
        {
            if (newcomer == default && context.Request.Path.Value!.EndsWith("/websites/all/2", StringComparison.Ordinal))
            {
                newcomer = Guid.Parse(Simulator.Install("Newcomer").WebsiteId);
                await Live.WaitForTenantAsync(newcomer);
            }

            return false;
        });

        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));

        Assert.NotEqual(default, newcomer);
        Assert.Equal(0, result.Uninstalled);
        Assert.Equal(TenantStatus.Active, (await Live.FindTenantAsync(newcomer))!.Status);
        Assert.Equal(TenantStatus.Active, (await Live.FindTenantAsync(Guid.Parse(existing.WebsiteId)))!.Status);
    }

    [Fact]
    public async Task RecurringJobs_HubStarted_DeclaresSyncsRetentionPurgeAndHookSweep()
    {
        using var connection = Live.Services.GetRequiredService<JobStorage>().GetConnection();
        var ids = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Select(j => j.Id).ToList();

        Assert.Contains("installations-full-sync", ids);
        Assert.Contains("installations-catch-up", ids);
        Assert.Contains("tenants-retention-purge", ids);
        Assert.Contains("hooks-sweep", ids);
        Assert.Contains("hooks-inbox-purge", ids);
        Assert.Contains("relay-retention-purge", ids);
        await Task.CompletedTask;
    }

    /// <summary>How many of the websites are tenants with their subscription token decrypting to Crisp's value.</summary>
    private async Task<int> WholeTenantsAsync(IEnumerable<IntegrationHub.CrispSimulator.Admin.InstalledWebsite> websites)
    {
        var whole = 0;
        foreach (var website in websites)
        {
            var id = Guid.Parse(website.WebsiteId);
            var tenant = await Live.FindTenantAsync(id);
            if (tenant is null)
            {
                continue;
            }

            Assert.Equal(TenantStatus.Active, tenant.Status);
            var (scope, _) = Live.OpenScope(id);
            await using (scope)
            {
                Assert.Equal(website.SubscriptionToken, await scope.ServiceProvider.GetRequiredService<TenantSecrets>().GetAsync(SecretNames.SubscriptionToken, CancellationToken.None));
            }

            whole++;
        }

        return whole;
    }

    private async Task<int> CountTenantsAsync()
    {
        var (scope, db) = Live.OpenScope();
        await using (scope)
        {
            return await db.Tenants.AcrossTenants().CountAsync();
        }
    }

    private async Task<DateTimeOffset?> LastFullSyncAsync()
    {
        var (scope, db) = Live.OpenScope();
        await using (scope)
        {
            return (await db.Set<PluginSyncState>().AsNoTracking().SingleOrDefaultAsync())?.LastFullSyncStartedAt;
        }
    }
}
