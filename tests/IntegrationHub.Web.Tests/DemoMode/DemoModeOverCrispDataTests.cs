using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Hosting;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.DemoMode;

/// <summary>
/// A deployment that lost its plugin credentials starts in demo mode; over a database synced with the real Crisp,
/// demo mode's first sync (against a simulator knowing only the demo website) uninstalled every real website. Start-up
/// refuses instead, in one line, before any sync runs.
/// </summary>
public sealed class DemoModeOverCrispDataTests : IDisposable
{
    private static readonly Guid RealWebsite = Guid.Parse("7b1c0e52-3f4a-4d6b-8e9f-0a1b2c3d4e5f");
    private readonly string _directory = Directory.CreateTempSubdirectory("hub-demo-over-crisp-").FullName;

    private SqliteHubDbContext Context(TenantContext tenant) =>
        new(new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite($"Data Source={Path.Combine(_directory, "hub.db")}").Options, tenant);

    [Fact]
    public async Task HubProcess_NoCredentials_DatabaseSyncedWithCrisp_ExitsWithOneLineAndUninstallsNothing()
    {
        var now = DateTimeOffset.UtcNow;
        var tenant = new TenantContext();
        tenant.Use(RealWebsite);
        await using (var db = Context(tenant))
        {
            await db.Database.MigrateAsync();
            db.Tenants.Add(new Tenant { Id = RealWebsite, Name = "A paying customer", Source = TenantSource.Crisp, InstalledAt = now, UpdatedAt = now });
            db.Set<PluginSyncState>().Add(new PluginSyncState { LastSuccessfulSyncStartedAt = now, CrispBaseUrl = "https://api.crisp.chat/v1/" });
            await db.SaveChangesAsync();
        }

        var start = HubProcessRun.StartInfo();
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Hub__DataDirectory"] = _directory;
        start.Environment["Crisp__PluginIdentifier"] = "";
        start.Environment["Crisp__PluginKey"] = "";
        var (exitCode, text) = await HubProcessRun.RunToExitAsync(start, "The demo-mode hub did not stop over a database synced with Crisp within 40 s.");

        Assert.Equal(1, exitCode);
        Assert.Contains("Demo mode refused", text, StringComparison.Ordinal);
        Assert.Contains("synced with Crisp at https://api.crisp.chat/v1/", text, StringComparison.Ordinal);
        Assert.Contains("Configure the plugin credentials", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        await using (var db = Context(tenant))
        {
            var stored = await db.Tenants.AsNoTracking().SingleAsync();
            Assert.Equal(TenantStatus.Active, stored.Status);
            Assert.Null(stored.UninstalledAt);
        }
    }

    [Fact]
    public void Refusal_IsOneStartUpLine()
    {
        var refusal = new DemoModeOverCrispDataException("Demo mode refused: …");
        Assert.Equal(["Demo mode refused: …"], StartupRefusal.Messages(refusal));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
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
