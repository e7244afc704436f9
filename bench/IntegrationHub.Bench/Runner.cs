using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Npgsql;

namespace IntegrationHub.Bench;

/// <summary>
/// One run, one machine: the ceiling, then the hub on SQLite and on PostgreSQL (each a separate server process,
/// started here with its own fresh database), driven over loopback HTTP by this process.
/// </summary>
internal static class Runner
{
    private const string CeilingUrl = "http://127.0.0.1:5191";
    private const string HubUrl = "http://127.0.0.1:5192";

    public static async Task<int> RunAsync(string[] args)
    {
        var hubDll = Option(args, "--hub") ?? throw new ArgumentException("--hub PATH/IntegrationHub.Web.dll is required");
        var seconds = int.Parse(Option(args, "--seconds") ?? "8", CultureInfo.InvariantCulture);
        // A closed loop finds a server's maximum only with enough requests in flight, and "enough" differs: the bare
        // endpoint is CPU-bound and loses throughput to contention with more connections, while the hub's group commit
        // needs requests queued behind a commit to fill the next one. So each maximum is the best over these levels.
        // --rounds: how many times each hub's maximum (each next to the ceiling), latency at half load and batch rate are
        // measured; the median round is reported, every round printed.
        var rounds = int.Parse(Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        var levels = (Option(args, "--connections") ?? "32,64,256").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var postgres = Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("HUB_BENCH_POSTGRES")
            ?? "Host=127.0.0.1;Port=5432;Username=hub;Password=hub;Database=integrationhub_test_api";
        var duration = TimeSpan.FromSeconds(seconds);
        var warmup = TimeSpan.FromSeconds(Math.Max(2, seconds / 3));
        var hubWarmup = TimeSpan.FromSeconds(int.Parse(Option(args, "--hub-warmup") ?? "15", CultureInfo.InvariantCulture));
        // After the fixed warm-up, each server (ceiling and hubs alike) is driven in 5 s windows until its throughput
        // stops rising, at most this long: on a slow or busy machine the JIT needs well over 15 s of load to tier up
        // the hub's hot path (its background compiler competes with the load for the same cores).
        var steadyMax = TimeSpan.FromSeconds(int.Parse(Option(args, "--steady-max") ?? "90", CultureInfo.InvariantCulture));
        var run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

        Console.WriteLine($"IntegrationHub bench — {Environment.ProcessorCount} cores, {seconds}s per measurement, best of {string.Join("/", levels)} connections, "
            + $"{hubWarmup.TotalSeconds:F0}s hub warm-up then until steady (at most {steadyMax.TotalSeconds:F0}s), load average {LoadAverage()}, {DateTime.UtcNow:u}");
        var results = new List<LoadResult>();

        // 1. The ceiling: bare Kestrel JSON endpoint, same body. Its process stays up for the whole run: this machine's
        // speed drifts over minutes (the bare endpoint measured 47,500 and 36,900 req/s eight minutes apart, its CPU
        // per request 21 and 28 µs), so each hub's maximum is compared with the ceiling measured right before and
        // right after it — the higher of the two, so a slow moment of the ceiling never flatters the hub.
        using var ceilingServer = Start("dotnet", [typeof(Runner).Assembly.Location, "ceiling", "--urls", CeilingUrl], []);
        results.AddRange(await CeilingAsync(ceilingServer, run, levels, warmup, duration, steadyMax));
        var ceilingRps = results[0].RequestsPerSecond;
        var ceilingLevel = results[0].Connections;
        Func<string, Task<LoadResult>> ceilingNow = async label =>
        {
            using var load = new Load(new Uri(CeilingUrl), null, ceilingLevel);
            var now = await load.ClosedLoopAsync($"ceiling {label} ({ceilingLevel} connections)", "/ceiling",
                n => SingleEvent(run, n), 1, ceilingLevel, warmup, duration, serverCpu: ceilingServer.CpuTime);
            Print(now, null);
            return now;
        };

        // --only sqlite|postgres: one database (the ceiling is always measured: the ratios need it).
        var only = Option(args, "--only");

        // 2. The hub on SQLite (file in a fresh folder, WAL).
        var sqliteDir = Directory.CreateTempSubdirectory("hub-bench-").FullName;
        if (only is null or "sqlite")
        {
            var sqlite = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["Hub__DataDirectory"] = sqliteDir };
            results.AddRange(await HubAsync("SQLite", hubDll, sqlite, run, levels, warmup, duration, ceilingRps, hubWarmup, steadyMax, rounds, ceilingNow));
        }

        // 3. The hub on PostgreSQL (fresh schema).
        var postgresDir = Directory.CreateTempSubdirectory("hub-bench-pg-").FullName;
        if (only is null or "postgres")
        {
            await using (var connection = new NpgsqlConnection(postgres))
            {
                await connection.OpenAsync();
                await using var reset = connection.CreateCommand();
                reset.CommandText = "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS hangfire CASCADE; CREATE SCHEMA public;";
                await reset.ExecuteNonQueryAsync();
            }

            var server = new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Hub"] = postgres,
                ["Database__MigrateOnStartup"] = "true",
                ["Hub__DataDirectory"] = postgresDir,
            };
            results.AddRange(await HubAsync("PostgreSQL", hubDll, server, run, levels, warmup, duration, ceilingRps, hubWarmup, steadyMax, rounds, ceilingNow));
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end: {LoadAverage()}; a hub's maximum is compared with the higher ceiling measured right "
            + $"around it (the column 'ceiling req/s'), other rows with the first ceiling; a hub's rows are the median of its {rounds} rounds");
        // Server CPU per request is what the code costs, whatever else the machine was doing; requests/s is what this
        // machine, shared with the load generator (and whoever else), delivered in this run.
        Console.WriteLine("| measurement | requests/s | events/s | p50 ms | p99 ms | ceiling req/s | vs ceiling req/s | server CPU µs/request | load generator CPU µs/request | errors |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var cpu = r.ServerCpuUsPerRequest is { } us ? us.ToString("F0", CultureInfo.InvariantCulture) : "";
            var client = r.ClientCpuUsPerRequest is { } c ? c.ToString("F0", CultureInfo.InvariantCulture) : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.RequestsPerSecond:F0} | {r.EventsPerSecond:F0} | {r.P50Ms:F1} | {r.P99Ms:F1} | {r.CeilingRps ?? ceilingRps:F0} | {r.RequestsPerSecond / (r.CeilingRps ?? ceilingRps):P1} | {cpu} | {client} | {r.Errors} |"));
        }

        foreach (var directory in new[] { sqliteDir, postgresDir })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private static async Task<List<LoadResult>> HubAsync(string label, string hubDll, Dictionary<string, string> database, string run, int[] levels,
        TimeSpan warmup, TimeSpan duration, double ceilingRps, TimeSpan hubWarmup, TimeSpan steadyMax, int rounds, Func<string, Task<LoadResult>> ceilingNow)
    {
        var environment = new Dictionary<string, string>(database)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_gcServer"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["Jobs__RunServer"] = "false",
            // The benchmark measures the ingest path, not the per-tenant limiter.
            ["Api__RateLimit__PermitsPerSecond"] = "10000000",
            ["Api__RateLimit__Burst"] = "10000000",
            // Not demo mode and nothing to call: Crisp is an unreachable address.
            ["Crisp__BaseUrl"] = "http://127.0.0.1:9/v1/",
            ["Crisp__PluginIdentifier"] = "bench",
            ["Crisp__PluginKey"] = "bench",
            ["Crisp__PluginId"] = "5f1d5c4e-7a3b-4c1e-9d2f-0a6b8c3e1f20",
            ["Crisp__HookSecret"] = "bench",
        };

        var website = Guid.NewGuid().ToString("D");
        await CliAsync(hubDll, environment, "migrate");
        await CliAsync(hubDll, environment, "tenant", "add", "--website", website, "--name", "Bench");
        var key = (await CliAsync(hubDll, environment, "apikey", "create", "--website", website, "--name", "bench")).Trim().Split('\n')[^1].Trim();

        var results = new List<LoadResult>();
        using var hub = Start("dotnet", [hubDll, "--urls", HubUrl], environment);
        await WaitReadyAsync(HubUrl + "/health/live");
        await WarmUpAsync(key, run, levels.Max(), hubWarmup);
        await WarmUntilSteadyAsync(label, new Uri(HubUrl), key, "/api/v1/events", n => SingleEvent(run, n), levels.Max(), steadyMax);
        database.TryGetValue("ConnectionStrings__Hub", out var postgres);
        Func<Load, int, string, Task<LoadResult>> single = (load, connections, name) => WatchCheckpointsAsync(postgres, () => load.ClosedLoopAsync(
            $"POST /api/v1/events, {label} ({connections} connections){name}", "/api/v1/events", n => SingleEvent(run, n), 1, connections, warmup, duration,
            serverCpu: hub.CpuTime));
        var best = await BestOfAsync(new Uri(HubUrl), key, levels, (load, connections) => single(load, connections, ""), ceilingRps);

        // The maximum, round by round next to the ceiling: ceiling, hub, ceiling, hub, …, ceiling. Each round's hub
        // is compared with the higher of the ceilings right before and right after it, and the run reports the median
        // round — on this shared machine one round can meet a slow minute of either process (all rounds are printed).
        var ceilings = new List<LoadResult> { await ceilingNow($"before {label} round 1") };
        var maxima = new List<LoadResult>();
        using (var load = new Load(new Uri(HubUrl), key, best.Connections))
        {
            for (var round = 1; round <= rounds; round++)
            {
                var hubRound = await single(load, best.Connections, $", round {round}");
                Print(hubRound, ceilings[^1].RequestsPerSecond);
                ceilings.Add(await ceilingNow(round < rounds ? $"between {label} rounds {round} and {round + 1}" : $"after {label} round {round}"));
                maxima.Add(hubRound with { CeilingRps = Math.Max(ceilings[^2].RequestsPerSecond, ceilings[^1].RequestsPerSecond) });
            }
        }

        var max = Median(maxima, r => r.RequestsPerSecond / r.CeilingRps!.Value);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  → {label}: {max.RequestsPerSecond / max.CeilingRps:P1} of the ceiling measured around it, the median of {rounds} rounds ({string.Join(", ", maxima.Select(r => (r.RequestsPerSecond / r.CeilingRps!.Value).ToString("P1", CultureInfo.InvariantCulture)))})"));
        results.Add(max);

        // Latency at half of that maximum: an open loop, a round at a time; the median round's p99 is reported.
        using (var load = new Load(new Uri(HubUrl), key, levels.Max()))
        {
            results.Add(await MedianOfRoundsAsync(rounds, ceilingRps, r => r.P99Ms, round => WatchCheckpointsAsync(postgres, () => load.OpenLoopAsync(
                $"POST /api/v1/events, {label} @ 50% of its max, round {round}", "/api/v1/events", n => SingleEvent(run, n), max.RequestsPerSecond / 2, warmup, duration))));
        }

        const int batchConnections = 4;
        using (var load = new Load(new Uri(HubUrl), key, batchConnections))
        {
            results.Add(await MedianOfRoundsAsync(rounds, ceilingRps, r => r.EventsPerSecond, round => WatchCheckpointsAsync(postgres, () => load.ClosedLoopAsync(
                $"POST /api/v1/events/batch (500), {label}, round {round}", "/api/v1/events/batch", n => Batch(run, n), 500, batchConnections, warmup, duration,
                serverCpu: hub.CpuTime))));
        }

        return results;
    }

    /// <summary>
    /// Around each PostgreSQL measurement: first a VACUUM of <c>product_events</c>, then marks on the result when the
    /// server ran a checkpoint or an autovacuum of that table meanwhile. The benchmark's table is minutes old and grows
    /// by a million rows in a run, so insert-triggered autovacuum (every 20 % of growth) came every few seconds and
    /// took a core of this two-core machine for seconds — a production table that size is vacuumed rarely. After a
    /// checkpoint the full-page writes make commits slower for a while (stock settings checkpoint every 1 GB of WAL,
    /// which the benchmark writes in well under a minute). Either way a marked number is not comparable with an
    /// unmarked one. Reading the counters needs no privilege; the hub role owns the table it vacuums.
    /// </summary>
    private static async Task<LoadResult> WatchCheckpointsAsync(string? postgres, Func<Task<LoadResult>> measure)
    {
        if (postgres is null)
        {
            return await measure();
        }

        await ExecuteAsync(postgres, "VACUUM product_events");
        var (checkpoints, autovacuums) = await MaintenanceCountsAsync(postgres);
        var result = await measure();
        var (checkpointsAfter, autovacuumsAfter) = await MaintenanceCountsAsync(postgres);
        var name = result.Name
            + (checkpointsAfter > checkpoints ? " [checkpoint ran]" : "")
            + (autovacuumsAfter > autovacuums ? " [autovacuum ran]" : "");
        return result with { Name = name };
    }

    private static async Task ExecuteAsync(string postgres, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(long Checkpoints, long Autovacuums)> MaintenanceCountsAsync(string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
                   coalesce((SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = 'product_events'), 0)
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The result whose <paramref name="key"/> is the median of the rounds (the lower middle one of an even count).</summary>
    private static LoadResult Median(List<LoadResult> rounds, Func<LoadResult, double> key) => rounds.OrderBy(key).ElementAt((rounds.Count - 1) / 2);

    /// <summary>Measures <paramref name="rounds"/> rounds one after another, printing each; returns the median round.</summary>
    private static async Task<LoadResult> MedianOfRoundsAsync(int rounds, double ceilingRps, Func<LoadResult, double> key, Func<int, Task<LoadResult>> measure)
    {
        var results = new List<LoadResult>(rounds);
        for (var round = 1; round <= rounds; round++)
        {
            var result = await measure(round);
            Print(result, ceilingRps);
            results.Add(result);
        }

        return Median(results, key);
    }

    /// <summary>The closed loop at each level of concurrency (each printed); the best is the maximum.</summary>
    private static async Task<LoadResult> BestOfAsync(Uri url, string? key, int[] levels, Func<Load, int, Task<LoadResult>> measure, double? ceilingRps)
    {
        LoadResult? best = null;
        foreach (var connections in levels)
        {
            using var load = new Load(url, key, connections);
            var result = await measure(load, connections);
            Print(result, ceilingRps);
            if (best is null || result.RequestsPerSecond > best.RequestsPerSecond)
            {
                best = result;
            }
        }

        Console.WriteLine($"  → best: {best!.Name}");
        return best;
    }

    /// <summary>
    /// The hub is a large application: right after start its hot path still runs unoptimised (tier-0 and
    /// instrumented) code, and on a busy machine the JIT's background tier-up takes many seconds. Both endpoints
    /// are driven for a while first, with their own message ids (so no measured request is a duplicate), and
    /// nothing of it is measured.
    /// </summary>
    private static async Task WarmUpAsync(string key, string run, int connections, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        using var load = new Load(new Uri(HubUrl), key, connections);
        await load.ClosedLoopAsync("warm-up", "/api/v1/events", n => SingleEvent(run, n), 1, connections, duration * 2 / 3, TimeSpan.FromMilliseconds(100));
        using var batch = new Load(new Uri(HubUrl), key, 4);
        await batch.ClosedLoopAsync("warm-up", "/api/v1/events/batch", n => Batch(run, n), 500, 4, duration / 3, TimeSpan.FromMilliseconds(100));
    }

    private static async Task<List<LoadResult>> CeilingAsync(ChildProcess ceiling, string run, int[] levels, TimeSpan warmup, TimeSpan duration,
        TimeSpan steadyMax)
    {
        var results = new List<LoadResult>();
        await WaitReadyAsync(CeilingUrl + "/health");
        await WarmUntilSteadyAsync("ceiling", new Uri(CeilingUrl), null, "/ceiling", n => SingleEvent(run, n), levels.Max(), steadyMax);
        var max = await BestOfAsync(new Uri(CeilingUrl), null, levels, (load, connections) => load.ClosedLoopAsync(
            $"ceiling: bare Kestrel JSON ({connections} connections)", "/ceiling", n => SingleEvent(run, n), 1, connections, warmup, duration,
            serverCpu: ceiling.CpuTime), null);
        results.Add(max);
        using var load = new Load(new Uri(CeilingUrl), null, levels.Max());
        var half = await load.OpenLoopAsync("ceiling @ 50% of its max", "/ceiling", n => SingleEvent(run, n), max.RequestsPerSecond / 2, warmup, duration);
        results.Add(half);
        Print(half, null);
        return results;
    }

    /// <summary>
    /// Closed-loop windows of 5 s (unmeasured, own message ids) until one is less than 3 % better than the best
    /// before it, or <paramref name="maximum"/> has passed; each window's rate is printed, so the reader sees the
    /// server was measured at its steady state.
    /// </summary>
    private static async Task WarmUntilSteadyAsync(string label, Uri url, string? key, string path, Func<long, string> body, int connections,
        TimeSpan maximum)
    {
        if (maximum <= TimeSpan.Zero)
        {
            return;
        }

        using var load = new Load(url, key, connections);
        var clock = Stopwatch.StartNew();
        var best = 0.0;
        var windows = new List<string>();
        while (clock.Elapsed < maximum)
        {
            var window = await load.ClosedLoopAsync("steady", path, body, 1, connections, TimeSpan.Zero, TimeSpan.FromSeconds(5));
            windows.Add(window.RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture));
            var rising = window.RequestsPerSecond > best * 1.03;
            best = Math.Max(best, window.RequestsPerSecond);
            if (!rising)
            {
                break;
            }
        }

        Console.WriteLine($"  {label}: driven until steady, req/s per 5 s window: {string.Join(" → ", windows)} ({clock.Elapsed.TotalSeconds:F0} s)");
    }

    private static string SingleEvent(string run, long n) =>
        $$$"""{"event":"order_completed","email":"user{{{n % 5000}}}@example.com","user_id":"u{{{n}}}","properties":{"order_id":"A-{{{n}}}","total":129.5,"currency":"EUR","items":[{"sku":"TSHIRT-M","qty":2}]},"message_id":"{{{run}}}-{{{n}}}"}""";

    private static string Batch(string run, long n)
    {
        var builder = new StringBuilder(120_000).Append("{\"events\":[");
        for (var i = 0; i < 500; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(string.Create(CultureInfo.InvariantCulture,
                $$$"""{"event":"page_viewed","email":"user{{{i}}}@example.com","properties":{"path":"/pricing","n":{{{i}}}},"message_id":"{{{run}}}-b{{{n}}}-{{{i}}}"}"""));
        }

        return builder.Append("]}").ToString();
    }

    private static void Print(LoadResult r, double? ceilingRps)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"  {r.Name,-55} {r.RequestsPerSecond,9:F0} req/s {r.EventsPerSecond,9:F0} events/s  p50 {r.P50Ms,6:F1} ms  p99 {r.P99Ms,6:F1} ms");
        if (ceilingRps is { } c)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"  {r.RequestsPerSecond / c,5:P0} of ceiling");
        }

        if (r.ServerCpuUsPerRequest is { } us)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"  server CPU {us,7:F0} µs/request");
        }

        if (r.ClientCpuUsPerRequest is { } client)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"  load generator CPU {client,4:F0} µs/request");
        }

        if (r.PacerMaxLagMs is { } lag)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"  (pacer lag ≤ {lag:F0} ms)");
        }

        if (r.Errors > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"  ERRORS {r.Errors}");
        }

        Console.WriteLine(line);
        if (r.Windows.Count > 0)
        {
            // A p99 over seconds says little about its cause: one stalled second and a steadily slow run differ here.
            Console.WriteLine("    second by second, p99/max ms: " + string.Join("  ", r.Windows.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.P99Ms:F0}/{w.MaxMs:F0}"))));
        }
    }

    private static async Task<string> CliAsync(string hubDll, Dictionary<string, string> environment, params string[] args)
    {
        using var process = Start("dotnet", [hubDll, .. args], environment, capture: true);
        var output = await process.Process.StandardOutput.ReadToEndAsync();
        var error = await process.Process.StandardError.ReadToEndAsync();
        await process.Process.WaitForExitAsync();
        if (process.Process.ExitCode != 0)
        {
            throw new InvalidOperationException($"hub {string.Join(' ', args)} failed ({process.Process.ExitCode}): {error}{output}");
        }

        return output;
    }

    private static async Task WaitReadyAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                if ((await client.GetAsync(url)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url} did not come up.");
    }

    private static ChildProcess Start(string file, string[] args, Dictionary<string, string> environment, bool capture = false)
    {
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = capture, RedirectStandardError = capture };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}."));
    }

    /// <summary>The 1-minute load average where the OS tells it: how busy the shared machine was (numbers are only comparable at similar load).</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    /// <summary>A process this run started, stopped (with its children) when the run is done with it.</summary>
    private sealed class ChildProcess(Process process) : IDisposable
    {
        public Process Process { get; } = process;

        /// <summary>CPU time (user + system) the process has used so far.</summary>
        public TimeSpan CpuTime()
        {
            Process.Refresh();
            return Process.TotalProcessorTime;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }

            Process.Dispose();
        }
    }
}
