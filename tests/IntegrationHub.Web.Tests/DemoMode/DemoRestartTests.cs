using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        await using (var first = Start(new CapturedLogs()))
        {
            await ReadyAsync(first);
        }

        var logs = new CapturedLogs();
        await using var second = Start(logs);
        await ReadyAsync(second);
        // The start-up sync ran before the bootstrapper taught the simulator the website: give a queued one time to run.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.DoesNotContain(logs.Entries, e => e.Category == typeof(InstallationLifecycle).FullName
            && (e.Message.Contains("uninstalled", StringComparison.OrdinalIgnoreCase) || e.Message.Contains(nameof(InstallationLifecycle.Change.Reinstalled), StringComparison.Ordinal)));
        await using var scope = second.Services.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AsNoTracking().SingleAsync(t => t.Id == HubCrispMode.DemoWebsiteId);
        Assert.Equal(TenantStatus.Active, tenant.Status);
        Assert.Null(tenant.UninstalledAt);
    }

    private HubApplicationFactory Start(CapturedLogs logs)
    {
        var factory = new HubApplicationFactory(
            DatabaseProvider.Sqlite,
            $"Data Source={Path.Combine(_directory, "hub.db")}",
            _directory,
            new Dictionary<string, string?>
            {
                ["Crisp:PluginIdentifier"] = "",
                ["Crisp:PluginKey"] = "",
                ["Jobs:RunServer"] = "true",
                ["Jobs:WorkerCount"] = "4",
            },
            services: services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        factory.UseKestrel(0);
        factory.StartServer();
        return factory;
    }

    private static async Task ReadyAsync(HubApplicationFactory factory)
    {
        await factory.Services.GetServices<IHostedService>().OfType<DemoModeBootstrapper>().Single().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync(
            async () =>
            {
                await using var scope = factory.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants()
                    .AnyAsync(t => t.Id == HubCrispMode.DemoWebsiteId && t.Status == TenantStatus.Active);
            },
            "the demo website to become an active tenant",
            TimeSpan.FromSeconds(60));
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
