using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DemoMode;

/// <summary>
/// The simulator's state is in memory, so a restarted demo hub starts with a simulator that knows no website. The
/// demo website must come back as it was: never uninstalled on the way (which paused its calls and refused its API
/// keys until the bootstrapper reinstalled it).
/// </summary>
public sealed class DemoRestartTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-demo-restart-").FullName;

    [Fact]
    public async Task Restart_DemoWebsiteIsNeverUninstalled()
    {
        await using (var first = DemoHubFixture.Start(_directory, new CapturedLogs()))
        {
            await DemoHubFixture.WaitUntilReadyAsync(first);
        }

        var logs = new CapturedLogs();
        await using var second = DemoHubFixture.Start(_directory, logs);
        await DemoHubFixture.WaitUntilReadyAsync(second);
        // The start-up sync ran before the bootstrapper taught the simulator the website: give a queued one time to run.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.DoesNotContain(logs.Entries, e => e.Category == typeof(InstallationLifecycle).FullName
            && (e.Message.Contains("uninstalled", StringComparison.OrdinalIgnoreCase) || e.Message.Contains(nameof(InstallationLifecycle.Change.Reinstalled), StringComparison.Ordinal)));
        await using var scope = second.Services.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AsNoTracking().SingleAsync(t => t.Id == HubCrispMode.DemoWebsiteId);
        Assert.Equal(TenantStatus.Active, tenant.Status);
        Assert.Null(tenant.UninstalledAt);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the temp folder is harmless.
        }
    }
}
