using System.Data.Common;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Respawn;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// A "live" hub: the real hub on Kestrel (a real loopback address) with Hangfire workers running, talking to a
/// standalone <see cref="LiveSimulator"/> as its Crisp — the client aimed at the simulator with its plugin keypair,
/// the simulator's hooks POSTed to the hub's <c>/crisp/hooks</c> and signed with the secret the hub expects.
/// Everything the hub logs is kept in <see cref="Logs"/>.
/// <para>
/// Use it as a class fixture and call <see cref="ResetAsync"/> before each test (<see cref="LiveHubTestBase"/> does):
/// the database is emptied with Respawn, the simulator forgets everything and the hook target is re-aimed at the
/// hub. Recurring syncs never fire on their own (their cron is "never"): tests run the syncs they mean to run.
/// Override <see cref="Settings"/> in a subclass to change hub configuration.
/// </para>
/// </summary>
public class LiveHubFixture : IAsyncLifetime
{
    /// <summary>Hangfire's "never" cron (31 February).</summary>
    public const string NeverCron = "0 0 31 2 *";

    private Respawner? _respawner;

    public LiveSimulator Simulator { get; private set; } = null!;

    public HubApplicationFactory Factory { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The hub's own address on loopback.</summary>
    public Uri HubRoot { get; private set; } = null!;

    /// <summary>Where the simulator delivers hooks.</summary>
    public Uri HookUrl => new(HubRoot, "crisp/hooks");

    public IServiceProvider Services => Factory.Services;

    protected string DataDirectory { get; } = Directory.CreateTempSubdirectory("hub-live-").FullName;

    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected virtual string ConnectionString => $"Data Source={Path.Combine(DataDirectory, "hub.db")}";

    protected virtual DbConnection OpenConnection() => new SqliteConnection(ConnectionString);

    protected virtual RespawnerOptions RespawnerOptions => new() { DbAdapter = DbAdapter.Sqlite, TablesToIgnore = ["__EFMigrationsHistory"] };

    /// <summary>Hub configuration on top of the live defaults (Crisp = the simulator, Hangfire on).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        Simulator = await LiveSimulator.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Crisp:BaseUrl"] = Simulator.ApiBaseUrl.ToString(),
            ["Crisp:PluginIdentifier"] = LiveSimulator.PluginIdentifier,
            ["Crisp:PluginKey"] = LiveSimulator.PluginKey,
            ["Crisp:PluginId"] = Simulator.Options.PluginId,
            ["Crisp:HookSecret"] = LiveSimulator.HookSecret,
            ["Jobs:RunServer"] = "true",
            ["Jobs:WorkerCount"] = "4",
            ["Installations:FullSyncCron"] = NeverCron,
            ["Installations:CatchUpCron"] = NeverCron,
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        Factory = new HubApplicationFactory(Provider, ConnectionString, DataDirectory, settings, web =>
        {
            web.ConfigureLogging(logging =>
            {
                logging.AddProvider(Logs);
                // Whatever the host's configuration lets through, plus everything the hub's own code writes.
                logging.AddFilter<CapturedLogs>("IntegrationHub", LogLevel.Trace);
            });
        });
        Factory.UseKestrel(0);
        Factory.StartServer();
        HubRoot = new Uri(Factory.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority) + "/");

        // The start-up full sync (enqueued by the scheduler) must be over before a test begins.
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    var (scope, db) = OpenScope();
                    await using (scope)
                    {
                        return await db.Set<PluginSyncState>().AnyAsync(s => s.LastFullSyncStartedAt != null);
                    }
                },
                "the start-up full sync");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                "The live hub did not finish its start-up sync. Hub warnings: "
                + string.Join(" | ", Logs.Entries.Where(e => e.Level >= LogLevel.Warning || e.Category.StartsWith("IntegrationHub", StringComparison.Ordinal)).Select(e => $"{e.Category}: {e.Message} {e.Exception}")),
                ex);
        }

        await using var connection = OpenConnection();
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, RespawnerOptions);
        await ResetAsync();
    }

    /// <summary>Empty database, fresh simulator aimed at this hub, no captured logs.</summary>
    public async Task ResetAsync()
    {
        Simulator.Reset();
        await Simulator.SetHookTargetAsync(HookUrl);
        // The hub keeps working in the background (drains, hook jobs of the test before), so on PostgreSQL the reset's
        // DELETEs can deadlock with one of its transactions; the server then cancels one side and the reset is redone.
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = OpenConnection();
            await connection.OpenAsync();
            try
            {
                await _respawner!.ResetAsync(connection);
                break;
            }
            catch (System.Data.Common.DbException ex) when (ex.SqlState == "40P01" && attempt < 3)
            {
            }
        }

        Logs.Clear();
    }

    /// <summary>
    /// A client of the hub on its real address; cookies kept, redirects not followed. (Built here: on Kestrel, the
    /// factory's own clients follow redirects whatever their options say.)
    /// </summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = HubRoot,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A fresh scope; pass a tenant to act for it, as a request or job would.</summary>
    public (AsyncServiceScope Scope, HubDbContext Db) OpenScope(Guid? tenantId = null)
    {
        var scope = Services.CreateAsyncScope();
        if (tenantId is { } id)
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(id);
        }

        return (scope, scope.ServiceProvider.GetRequiredService<HubDbContext>());
    }

    /// <summary>The tenant row as stored now (no tracking), or null.</summary>
    public async Task<Tenant?> FindTenantAsync(Guid websiteId)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return await db.Tenants.AcrossTenants().AsNoTracking().FirstOrDefaultAsync(t => t.Id == websiteId);
        }
    }

    /// <summary>Polls the database until the website is a tenant with <paramref name="status"/>.</summary>
    public async Task<Tenant> WaitForTenantAsync(Guid websiteId, TenantStatus status = TenantStatus.Active, TimeSpan? timeout = null) =>
        (await Eventually.UntilAsync(() => FindTenantAsync(websiteId), t => t?.Status == status, $"website {websiteId} to be {status}", timeout))!;

    /// <summary>Polls the database until the website's tenant row is gone.</summary>
    public Task WaitForNoTenantAsync(Guid websiteId, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => FindTenantAsync(websiteId), t => t is null, $"website {websiteId} to be purged", timeout);

    /// <summary>Runs a service of the hub in a fresh scope (e.g. a sync, as its Hangfire job would).</summary>
    public async Task<T> RunAsync<TService, T>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Simulator.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the temp folder is harmless.
        }
    }
}

/// <summary>Base of live tests: the fixture is reset before each test.</summary>
public abstract class LiveHubTestBase(LiveHubFixture live) : IAsyncLifetime
{
    protected LiveHubFixture Live => live;

    protected LiveSimulator Simulator => live.Simulator;

    protected TestData Data => new(live.Services);

    public Task InitializeAsync() => live.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
