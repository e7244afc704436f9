using System.Diagnostics;
using System.Globalization;
using Hangfire;
using IntegrationHub.Crisp;
using IntegrationHub.CrispSimulator;
using IntegrationHub.CrispSimulator.Admin;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IntegrationHub.Bench.Delivery;

// Delivery engine benchmark. Prints, in one run against the simulator:
//  1. no rate limit, PostgreSQL: delivered calls/s and database commits per delivered call, against a baseline of
//     one Hangfire job per Crisp call measured in the same run;
//  2. with a budget: fraction of the budget used by a flooding tenant, calls over budget, 429s seen, and a quiet
//     tenant's p99 enqueue-to-call latency alone and beside the flooding neighbour.
// ---- 1. Throughput, no rate limit -------------------------------------------------------------------------------
// ---- 2. Budget, fairness, latency -------------------------------------------------------------------------------
public static class DeliveryBenchmark
{
    public static async Task<int> Main()
    {
        var connectionString = Environment.GetEnvironmentVariable("BENCH_POSTGRES") is { Length: > 0 } b ? b
            : Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") is { Length: > 0 } t ? t
            : "Host=127.0.0.1;Port=5432;Username=hub;Password=hub;Database=integrationhub_test_delivery";
        var calls = Int("BENCH_CALLS", 20_000);
        var windowSeconds = Int("BENCH_WINDOW_SECONDS", 60);
        var baselineJobs = Int("BENCH_BASELINE_JOBS", 1_000);
        const int budget = 30;

        await using var sim = await Simulator.StartAsync();
        await ResetDatabaseAsync(connectionString);

        Console.WriteLine($"Delivery benchmark — PostgreSQL, simulator at {sim.Base}, {Environment.ProcessorCount} cores");
        Console.WriteLine();

        double baselineRate, baselineCommits, rate, commitsPerCall;
        if (Int("BENCH_SKIP_THROUGHPUT", 0) == 0)
        {
            await using var hub = Hub.Start(connectionString, sim, new()
            {
                ["Delivery:DefaultBudgetPerMinute"] = "10000000",
                ["Delivery:MaxBudgetPerMinute"] = "10000000",
                ["Delivery:BatchSize"] = "500",
                ["Delivery:DrainParallelism"] = "32",
                ["Jobs:WorkerCount"] = "8",
            });
            var tenants = new List<Guid>();
            for (var i = 0; i < 8; i++)
            {
                tenants.Add(await hub.TenantAsync(sim, $"Bulk{i}"));
            }

            var campaign = tenants.ToDictionary(id => id, id => sim.Admin.SeedCampaign(id.ToString("D"), "bench"));
            await Task.Delay(TimeSpan.FromSeconds(11)); // let start-up statistics reach pg_stat_database

            // Baseline: one Hangfire job per Crisp call (the shape the issue says will not reach the targets).
            sim.State.ClearJournal();
            var before = await CommitsAsync(connectionString);
            var watch = Stopwatch.StartNew();
            var jobs = hub.Services.GetRequiredService<IBackgroundJobClient>();
            for (var i = 0; i < baselineJobs; i++)
            {
                var tenant = tenants[i % tenants.Count];
                jobs.Enqueue<BaselineJob>(j => j.SendAsync(tenant.ToString("D"), campaign[tenant]));
            }

            await WaitAsync(() => sim.State.GetJournal().Count >= baselineJobs, TimeSpan.FromMinutes(5));
            baselineRate = baselineJobs / watch.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(11));
            baselineCommits = (await CommitsAsync(connectionString) - before - 0.0) / baselineJobs;

            // The engine: calls staged in the outbox, drained many per job.
            sim.State.ClearJournal();
            var perTenant = calls / tenants.Count;
            foreach (var tenant in tenants)
            {
                await hub.EnqueueAsync(tenant, Enumerable.Range(0, perTenant).Select(_ => (CrispCallKinds.CampaignDispatch, (object)new { campaign_id = campaign[tenant] }, (string?)null)), commit: false);
            }

            await Task.Delay(TimeSpan.FromSeconds(11));
            before = await CommitsAsync(connectionString);
            watch.Restart();
            foreach (var tenant in tenants)
            {
                await hub.CommitStagedAsync(tenant);
            }

            var total = perTenant * tenants.Count;
            await WaitAsync(() => sim.State.GetJournal().Count >= total, TimeSpan.FromMinutes(10));
            var elapsed = watch.Elapsed;
            rate = total / elapsed.TotalSeconds;
            await WaitAsync(() => hub.CountAsync(tenants, CrispCallStatus.Sent).GetAwaiter().GetResult() >= total, TimeSpan.FromMinutes(2));
            await Task.Delay(TimeSpan.FromSeconds(11));
            commitsPerCall = (await CommitsAsync(connectionString) - before) / (double)total;
            var journal = sim.State.GetJournal();
            Console.WriteLine("1. No rate limit");
            Console.WriteLine($"   baseline (1 Hangfire job per call, {baselineJobs} jobs): {baselineRate,8:F1} calls/s   {baselineCommits,6:F2} commits/call");
            Console.WriteLine($"   delivery engine ({total} calls, {tenants.Count} tenants):   {rate,8:F1} calls/s   {commitsPerCall,6:F2} commits/call   (target ≥ 500 calls/s, ≤ 5 commits/call)");
            Console.WriteLine($"   ratio vs baseline: {rate / baselineRate:F1}× calls/s, {baselineCommits / commitsPerCall:F1}× fewer commits per call; duplicates: {journal.Count - total}");
            Console.WriteLine();
        }

        await ResetDatabaseAsync(connectionString);
        sim.State.Reset();
        {
            var window = TimeSpan.FromSeconds(windowSeconds);
            await using var hub = Hub.Start(connectionString, sim, new()
            {
                ["Delivery:DefaultBudgetPerMinute"] = budget.ToString(CultureInfo.InvariantCulture),
                ["Delivery:BudgetWindow"] = window.ToString("c", CultureInfo.InvariantCulture),
                ["Jobs:WorkerCount"] = "8",
            });
            var quiet = await hub.TenantAsync(sim, "Quiet");
            var flood = await hub.TenantAsync(sim, "Flood");
            foreach (var id in new[] { quiet, flood })
            {
                // Crisp (the simulator) enforces the same budget: any overspend would show as a 429.
                sim.Admin.SetLimits(id.ToString("D"), budget * 60 / windowSeconds);
            }

            var samples = (int)Math.Round(1.5 * windowSeconds / 2.2);
            var alone = await QuietLatencyAsync(hub, sim, quiet, samples);
            await hub.EnqueueAsync(flood, Enumerable.Range(0, 100_000).Select(i => (CrispCallKinds.PeopleEventAdd, (object)new { email = $"f{i % 50}@flood.example", text = "flood" }, (string?)null)));
            var floodStart = DateTimeOffset.UtcNow;
            var beside = await QuietLatencyAsync(hub, sim, quiet, samples);
            var measureEnd = floodStart + (2 * window);
            if (DateTimeOffset.UtcNow < measureEnd)
            {
                await Task.Delay(measureEnd - DateTimeOffset.UtcNow);
            }

            var floodJournal = sim.State.GetJournal(flood.ToString("D"));
            var firstFlood = floodJournal.Min(j => j.Time);
            var inTwoWindows = floodJournal.Count(j => j.Time >= firstFlood && j.Time < firstFlood + (2 * window));
            var all = sim.State.GetJournal();
            var over = new[] { quiet, flood }.Sum(id => Math.Max(0, MaxInAnyWindow(sim.State.GetJournal(id.ToString("D")).Select(j => j.Time).ToList(), window) - budget));
            var limited = all.Count(j => j.Status is 429 or 420);
            Console.WriteLine($"2. Budget {budget} per {windowSeconds} s window, a quiet tenant beside a neighbour with 100,000 pending calls");
            Console.WriteLine($"   fraction of budget used (flooding tenant, first 2 windows): {inTwoWindows / (2.0 * budget):P1}   (target ≥ 95%)");
            Console.WriteLine($"   calls over budget (any sliding window, both tenants):         {over}   (target 0)");
            Console.WriteLine($"   429/420 seen:                                                {limited}   (target 0)");
            foreach (var refused in all.Where(j => j.Status is 429 or 420).Take(5))
            {
                Console.WriteLine($"     {(refused.WebsiteId == quiet.ToString("D") ? "quiet" : "flood")} {refused.Reason} at +{(refused.Time - firstFlood).TotalSeconds:F1} s; in the 60 s before it: {all.Count(j => j.WebsiteId == refused.WebsiteId && j.Time <= refused.Time && j.Time > refused.Time - TimeSpan.FromMinutes(1))}");
            }
            Console.WriteLine($"   quiet tenant p99 enqueue-to-call: alone {alone.TotalMilliseconds:F0} ms, with neighbour {beside.TotalMilliseconds:F0} ms, ratio {beside / alone:F2}   (target ≤ 1.2)");
        }

        return 0;

        static async Task<TimeSpan> QuietLatencyAsync(Hub hub, Simulator sim, Guid quiet, int samples)
        {
            var website = quiet.ToString("D");
            var campaigns = new List<(string Campaign, DateTimeOffset EnqueuedAt)>();
            for (var i = 0; i < samples; i++)
            {
                var campaign = sim.Admin.SeedCampaign(website, $"q{Guid.NewGuid():N}");
                var enqueuedAt = await hub.EnqueueAsync(quiet, [(CrispCallKinds.CampaignDispatch, new { campaign_id = campaign }, null)]);
                campaigns.Add((campaign, enqueuedAt));
                await Task.Delay(TimeSpan.FromMilliseconds(2200));
            }

            await WaitAsync(() => campaigns.All(c => sim.State.GetJournal(website).Any(j => j.Path.Contains(c.Campaign, StringComparison.Ordinal))), TimeSpan.FromMinutes(3));
            var journal = sim.State.GetJournal(website);
            var latencies = campaigns.Select(c => journal.First(j => j.Path.Contains(c.Campaign, StringComparison.Ordinal)).Time - c.EnqueuedAt).Order().ToList();
            return latencies[(int)Math.Ceiling(0.99 * latencies.Count) - 1];
        }

        static int MaxInAnyWindow(List<DateTimeOffset> times, TimeSpan window)
        {
            times.Sort();
            var max = 0;
            for (int start = 0, end = 0; end < times.Count; end++)
            {
                while (times[end] - times[start] >= window)
                {
                    start++;
                }

                max = Math.Max(max, end - start + 1);
            }

            return max;
        }

        static async Task<long> CommitsAsync(string connectionString)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()";
            return (long)(await command.ExecuteScalarAsync())!;
        }

        static async Task ResetDatabaseAsync(string connectionString)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS hangfire CASCADE; CREATE SCHEMA public;";
            await command.ExecuteNonQueryAsync();
        }

        static async Task WaitAsync(Func<bool> done, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!done())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The benchmark step did not finish in time.");
                }

                await Task.Delay(50);
            }
        }

        static int Int(string name, int fallback) =>
            int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}

/// <summary>The baseline's job: one Crisp call per Hangfire job.</summary>
public sealed class BaselineJob(CrispClient crisp)
{
    public Task SendAsync(string websiteId, string campaignId) => crisp.Campaigns.DispatchAsync(websiteId, campaignId);
}

internal sealed class Simulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Simulator(WebApplication app) => _app = app;

    public Uri Base => CrispSimulatorLoopback.RootOf(_app);

    public CrispSimulatorState State => _app.Services.GetRequiredService<CrispSimulatorState>();

    public SimAdmin Admin => new(_app.Services.GetRequiredService<CrispSimulatorAdmin>(), State);

    public static async Task<Simulator> StartAsync()
    {
        var app = await CrispSimulatorLoopback.StartAsync(new Dictionary<string, string?>
        {
            ["Simulator:DailyQuota"] = "0",
            ["Simulator:JournalCapacity"] = "0",
        });
        return new Simulator(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed class SimAdmin(CrispSimulatorAdmin admin, CrispSimulatorState state)
{
    public void Install(string websiteId, string name) => admin.InstallWebsite(websiteId, name, $"{name.ToLowerInvariant()}.example");

    public string SeedCampaign(string websiteId, string name) => admin.SeedCampaign(websiteId, name);

    public void SetLimits(string websiteId, int perMinute)
    {
        lock (state.Sync)
        {
            var website = state.FindWebsite(websiteId)!;
            website.Budget.RequestsPerMinute = perMinute;
        }
    }
}

internal sealed class Hub : WebApplicationFactory<global::Program>
{
    private readonly string _connectionString;
    private readonly Simulator _sim;
    private readonly Dictionary<string, string?> _settings;
    private readonly Dictionary<Guid, (AsyncServiceScope Scope, HubDbContext Db)> _staged = [];

    private Hub(string connectionString, Simulator sim, Dictionary<string, string?> settings)
    {
        _connectionString = connectionString;
        _sim = sim;
        _settings = settings;
    }

    public static Hub Start(string connectionString, Simulator sim, Dictionary<string, string?> settings)
    {
        // The hub's content (appsettings.json) is copied next to the benchmark; no source tree needed.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_INTEGRATIONHUB_WEB", AppContext.BaseDirectory);
        var hub = new Hub(connectionString, sim, settings);
        _ = hub.Server;
        return hub;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        builder.UseSetting("Database:Provider", "Postgres");
        builder.UseSetting("Database:MigrateOnStartup", "true");
        builder.UseSetting("ConnectionStrings:Hub", _connectionString);
        builder.UseSetting("Hub:DataDirectory", Path.Combine(Path.GetTempPath(), "hub-bench-delivery"));
        builder.UseSetting("Jobs:RunServer", "true");
        builder.UseSetting("Crisp:BaseUrl", new Uri(_sim.Base, "v1/").ToString());
        builder.UseSetting("Crisp:PluginIdentifier", "sim-plugin-identifier");
        builder.UseSetting("Crisp:PluginKey", "sim-plugin-key");
        builder.UseSetting("Crisp:PluginId", "5f1d5c4e-7a3b-4c1e-9d2f-0a6b8c3e1f20");
        builder.UseSetting("Delivery:DailyQuota", "0");
        builder.UseSetting("Delivery:DispatchInterval", "00:00:00.200");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Polly", "Error");
        builder.ConfigureLogging(logging => logging.ClearProviders());
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task<Guid> TenantAsync(Simulator sim, string name)
    {
        var id = Guid.NewGuid();
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TenantDirectory>().AddManualAsync(id, name, null, CancellationToken.None);
        }

        sim.Admin.Install(id.ToString("D"), name);
        return id;
    }

    /// <summary>Stages calls; with <paramref name="commit"/> false they wait for <see cref="CommitStagedAsync"/>.</summary>
    public async Task<DateTimeOffset> EnqueueAsync(Guid tenant, IEnumerable<(string Kind, object Payload, string? Key)> calls, bool commit = true)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<CrispCallOutbox>();
        foreach (var (kind, payload, key) in calls)
        {
            outbox.Enqueue(kind, payload, key);
        }

        _staged[tenant] = (scope, db);
        return commit ? await CommitStagedAsync(tenant) : DateTimeOffset.UtcNow;
    }

    public async Task<DateTimeOffset> CommitStagedAsync(Guid tenant)
    {
        var (scope, db) = _staged[tenant];
        _staged.Remove(tenant);
        await db.SaveChangesAsync();
        var committedAt = DateTimeOffset.UtcNow;
        await scope.DisposeAsync();
        return committedAt;
    }

    public async Task<int> CountAsync(IEnumerable<Guid> tenants, CrispCallStatus status)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var ids = tenants.ToList();
        return await db.Set<CrispCall>().AcrossTenants().CountAsync(c => ids.Contains(c.TenantId) && c.Status == status);
    }
}
