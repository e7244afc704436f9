using System.Net.Http.Json;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Admin;
using IntegrationHub.CrispSimulator.Journal;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A Crisp simulator on loopback and a hub (SQLite file, Hangfire workers on) whose Crisp client points at it.
/// Self-contained: one per test, so each test sets its own delivery knobs.
/// </summary>
public sealed class DeliveryHarness : IAsyncDisposable
{
    private readonly WebApplication _simulator;

    private DeliveryHarness(WebApplication simulator, Uri simulatorBase, string dataDirectory)
    {
        _simulator = simulator;
        SimulatorBase = simulatorBase;
        DataDirectory = dataDirectory;
        Admin = new HttpClient { BaseAddress = new Uri(simulatorBase, "_sim/") };
    }

    public Uri SimulatorBase { get; }

    public string DataDirectory { get; }

    public string ConnectionString => $"Data Source={Path.Combine(DataDirectory, "hub.db")}";

    public HttpClient Admin { get; }

    public CrispSimulatorState Sim => _simulator.Services.GetRequiredService<CrispSimulatorState>();

    public CrispSimulatorAdmin SimAdmin => _simulator.Services.GetRequiredService<CrispSimulatorAdmin>();

    public HubApplicationFactory Hub { get; private set; } = null!;

    /// <summary>Settings a hub (in-process or a child process) needs to reach this simulator.</summary>
    public Dictionary<string, string?> HubSettings(IReadOnlyDictionary<string, string?>? delivery = null, bool runJobs = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:RunServer"] = runJobs ? "true" : "false",
            ["Jobs:WorkerCount"] = "4",
            ["Crisp:BaseUrl"] = new Uri(SimulatorBase, "v1/").ToString(),
            ["Crisp:PluginIdentifier"] = "sim-plugin-identifier",
            ["Crisp:PluginKey"] = "sim-plugin-key",
            ["Crisp:RetryDelay"] = "00:00:00.020",
            ["Crisp:Timeout"] = "00:00:05",
            ["Delivery:DispatchInterval"] = "00:00:00.200",
            ["Delivery:DailyQuota"] = "0",
        };
        foreach (var (key, value) in delivery ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<DeliveryHarness> StartAsync(IReadOnlyDictionary<string, string?>? delivery = null, bool startHub = true)
    {
        var app = await CrispSimulatorLoopback.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:DailyQuota"] = "0",
            ["Simulator:JournalCapacity"] = "0",
        });
        var harness = new DeliveryHarness(app, CrispSimulatorLoopback.RootOf(app), Directory.CreateTempSubdirectory("hub-delivery-").FullName);
        if (startHub)
        {
            harness.StartHub(harness.HubSettings(delivery));
        }

        return harness;
    }

    public void StartHub(IReadOnlyDictionary<string, string?> settings)
    {
        Hub = new HubApplicationFactory(DatabaseProvider.Sqlite, ConnectionString, DataDirectory, settings);
        _ = Hub.Server;
    }

    /// <summary>A website installed in the simulator and known to the hub as a tenant.</summary>
    public async Task<Guid> TenantAsync(string name = "Acme", int? budgetPerMinute = null)
    {
        var id = Guid.NewGuid();
        // Hub tenant first: the hub's installation sync may see the simulator's website and must find it known.
        await new TestData(Hub.Services).TenantAsync(name, id);
        // The simulator holds the same budget: its install hook and the syncs then bring back what the hub has, and
        // cannot reset the budget to the default while a test is counting against it.
        var settings = budgetPerMinute is { } chosen ? new System.Text.Json.Nodes.JsonObject { ["rate_budget_per_minute"] = chosen } : null;
        SimAdmin.InstallWebsite(id.ToString("D"), name, $"{name.ToLowerInvariant()}.example", settings);
        if (budgetPerMinute is { } budget)
        {
            await using var scope = Scope(id);
            var tenant = await scope.Db.Tenants.SingleAsync();
            tenant.SettingsJson = $$"""{"rate_budget_per_minute": {{budget}}}""";
            await scope.Db.SaveChangesAsync();
        }

        return id;
    }

    public async Task<List<long>> EnqueueAsync(Guid tenantId, IEnumerable<(string Kind, object Payload, string? OrderingKey)> calls)
    {
        await using var scope = Scope(tenantId);
        var outbox = scope.Services.GetRequiredService<CrispCallOutbox>();
        var staged = calls.Select(c => outbox.Enqueue(c.Kind, c.Payload, c.OrderingKey)).ToList();
        await scope.Db.SaveChangesAsync();
        return staged.Select(c => c.Id).ToList();
    }

    public async Task<List<CrispCall>> CallsAsync(Guid tenantId)
    {
        await using var scope = Scope(tenantId);
        return await scope.Db.Set<CrispCall>().AsNoTracking().OrderBy(c => c.Id).ToListAsync();
    }

    public async Task<List<CrispCallAttempt>> AttemptsAsync(Guid tenantId)
    {
        await using var scope = Scope(tenantId);
        return await scope.Db.Set<CrispCallAttempt>().AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }

    public async Task<TenantDeliveryState?> StateAsync(Guid tenantId)
    {
        await using var scope = Scope(tenantId);
        return await scope.Db.Set<TenantDeliveryState>().AsNoTracking().FirstOrDefaultAsync();
    }

    /// <summary>Polls the database until every call of the tenants satisfies <paramref name="done"/>.</summary>
    public async Task WaitUntilAsync(Guid tenantId, Func<List<CrispCall>, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var calls = await CallsAsync(tenantId);
            if (done(calls))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                var summary = string.Join(", ", calls.GroupBy(c => c.Status).Select(g => $"{g.Key}={g.Count()}"));
                throw new TimeoutException($"Calls of {tenantId} not done after {timeout}: {summary}; last: {calls.LastOrDefault(c => c.LastError != null)?.LastError}");
            }

            await Task.Delay(100);
        }
    }

    public static bool AllSent(List<CrispCall> calls) => calls.All(c => c.Status == CrispCallStatus.Sent);

    public IReadOnlyList<JournalEntry> Journal(Guid tenantId) => Sim.GetJournal(tenantId.ToString("D"));

    public async Task PutAsync(string path, object body)
    {
        using var response = await Admin.PutAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
    }

    public TenantScope Scope(Guid tenantId)
    {
        var scope = Hub.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        return new TenantScope(scope);
    }

    /// <summary>The most requests in any window of <paramref name="window"/> (each window starts at a request).</summary>
    public static int MaxInAnyWindow(IReadOnlyList<DateTimeOffset> times, TimeSpan window) => IntegrationHub.Drills.DeliveryAudit.MaxInAnyWindow(times, window);

    public async ValueTask DisposeAsync()
    {
        if (Hub is not null)
        {
            await Hub.DisposeAsync();
        }

        Admin.Dispose();
        await _simulator.StopAsync();
        await _simulator.DisposeAsync();
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

public sealed class TenantScope(AsyncServiceScope scope) : IAsyncDisposable
{
    public IServiceProvider Services => scope.ServiceProvider;

    public HubDbContext Db => scope.ServiceProvider.GetRequiredService<HubDbContext>();

    public ValueTask DisposeAsync() => scope.DisposeAsync();
}
