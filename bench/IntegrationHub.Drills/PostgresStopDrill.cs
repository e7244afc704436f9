using System.Diagnostics;

namespace IntegrationHub.Drills;

/// <summary>
/// PostgreSQL really stopped for 30 s under load (<c>pg_ctlcluster 15 main stop</c>, then <c>start</c>). ONLY run by
/// hand on a machine whose PostgreSQL nobody else is using: every other client of that cluster fails meanwhile. The
/// test suite never runs this; it simulates the outage with a TCP forwarder instead (DatabaseOutageTests).
/// Checks: the API answers 503 with Retry-After, never 500, never hangs; the same node process accepts again after
/// PostgreSQL is back; everything accepted is delivered.
/// </summary>
public static class PostgresStopDrill
{
    public static async Task<DrillReport> RunAsync(DrillOptions options, TextWriter output, TimeSpan outage)
    {
        await using var run = await DrillRun.StartAsync(options, "pgstop", tenants: 2, output);
        var report = run.Report;
        var node = await run.StartNodeAsync("pgstop", HubProcess.FreePort(), HubNodeSettings.Merge(HubNodeSettings.Unlimited(), new Dictionary<string, string?>
        {
            ["Api:Auth:CacheSeconds"] = "1",
        }));
        using var load = new EventLoad(run.Tenants, run.RunId);
        using var stopLoad = new CancellationTokenSource();
        var loadTask = load.RunAsync(() => [node.Root], workers: 4, stopLoad.Token);
        await Task.Delay(TimeSpan.FromSeconds(5));

        report.Step($"pg_ctlcluster 15 main stop, for {outage.TotalSeconds:0} s");
        var acceptedBefore = load.Accepted.Count;
        var before = Snapshot(load);
        Cluster("stop");
        await Task.Delay(outage);
        var during = Diff(Snapshot(load), before);
        report.Step("pg_ctlcluster 15 main start");
        Cluster("start");
        var acceptedAtRestart = load.Accepted.Count;
        var recovered = await WaitAsync(() => load.Accepted.Count > acceptedAtRestart + 20, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stopLoad.CancelAsync();
        await loadTask;
        report.Fact($"load: {load.Describe()}; slowest answer {load.SlowestMs} ms");
        report.Fact($"during the outage: {string.Join(", ", during.Select(d => $"{d.Value}×{d.Key}"))}");
        report.Check("the outage was seen as 503", during.GetValueOrDefault(503) > 0, $"{during.GetValueOrDefault(503)} answers 503 while PostgreSQL was down ({acceptedBefore} accepted before)");
        report.Check("never 500", !load.Statuses.Keys.Any(s => s >= 500 && s != 503), $"statuses: {string.Join(", ", load.Statuses.Keys.Order())}");
        report.Check("every 503 had Retry-After", load.UnavailableWithoutRetryAfter == 0, $"{load.UnavailableWithoutRetryAfter} without");
        report.Check("no request hung", load.SlowestMs < 15_000, $"slowest answer {load.SlowestMs} ms (connect timeout 5 s)");
        report.Check("recovered without a restart", recovered && !node.HasExited, $"node pid {node.Pid} {(node.HasExited ? "exited" : "still running")}; accepted after restart: {load.Accepted.Count - acceptedAtRestart}");
        await run.WaitForCallsAsync(DrillRun.AllSent, options.SettleTimeout, node);
        var audit = await DeliveryAudit.TakeAsync(run.Database, run.Simulator, run.Tenants);
        audit.CheckAcceptedAreStored(report, load.Accepted);
        audit.CheckAllFinal(report, deadAllowed: false);
        audit.CheckSentWereDelivered(report);
        return report;
    }

    private static Dictionary<int, int> Snapshot(EventLoad load) => load.Statuses.ToDictionary(s => s.Key, s => s.Value);

    private static Dictionary<int, int> Diff(Dictionary<int, int> after, Dictionary<int, int> before) =>
        after.ToDictionary(a => a.Key, a => a.Value - before.GetValueOrDefault(a.Key)).Where(d => d.Value > 0).ToDictionary(d => d.Key, d => d.Value);

    private static void Cluster(string action)
    {
        using var process = Process.Start(new ProcessStartInfo("pg_ctlcluster", ["15", "main", action]) { UseShellExecute = false })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctlcluster 15 main {action} exited with {process.ExitCode}.");
        }
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }
}
