namespace IntegrationHub.Drills;

/// <summary>
/// kill -9 at random moments under load: a node on PostgreSQL runs while a backend posts events; at a random moment
/// it is SIGKILLed and started again, <see cref="DrillOptions.Cycles"/> times. Then a last node drains everything and
/// the drill checks: every 202 is stored and delivered, nothing marked sent was sent again, and repeats happened
/// only to calls that were in flight at a kill.
/// </summary>
public static class CrashDrill
{
    public static async Task<DrillReport> RunAsync(DrillOptions options, TextWriter output)
    {
        await using var run = await DrillRun.StartAsync(options, "crash", tenants: 2, output);
        var report = run.Report;
        var random = new Random(options.Seed);
        var port = HubProcess.FreePort();
        var node = HubNodeSettings.Unlimited();
        var root = new Uri($"http://127.0.0.1:{port}/");
        report.Fact($"{options.Cycles} cycles, kill moments random in 0–{options.MaxRunBeforeKill.TotalSeconds:0.#} s after the node's first 202, seed {options.Seed}");

        using var load = new EventLoad(run.Tenants, run.RunId);
        using var stopLoad = new CancellationTokenSource();
        var loadTask = load.RunAsync(() => [root], workers: 4, stopLoad.Token);
        var inFlightAtKills = new HashSet<long>();
        var sentAtKills = new List<int>();
        for (var cycle = 1; cycle <= options.Cycles; cycle++)
        {
            var hub = await run.StartNodeAsync($"crash-{cycle}", port, node);
            // The random moment counts from the node's first 202 of this cycle, so every kill lands on a node under
            // load (a fresh process on a busy machine may take seconds to answer its first request).
            var accepted = load.Accepted.Count;
            var firstAnswer = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (load.Accepted.Count == accepted && DateTime.UtcNow < firstAnswer)
            {
                await Task.Delay(20);
            }

            var runFor = TimeSpan.FromMilliseconds(random.NextDouble() * options.MaxRunBeforeKill.TotalMilliseconds);
            await Task.Delay(runFor);
            hub.Kill();
            var calls = await run.Database.CallsAsync();
            var inFlight = calls.Where(c => c.Status == "Sending").Select(c => c.Id).ToList();
            inFlightAtKills.UnionWith(inFlight);
            sentAtKills.Add(calls.Count(c => c.Status == "Sent"));
            report.Step($"cycle {cycle}: killed pid {hub.Pid} {runFor.TotalSeconds:0.00} s after its first 202; {load.Accepted.Count} accepted so far, "
                        + $"{calls.Count(c => c.Status == "Sent")}/{calls.Count} calls sent, {inFlight.Count} in flight");
        }

        report.Step("last start: the load stops, the node drains everything");
        var last = await run.StartNodeAsync("crash-final", port, node);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await loadTask;
        report.Fact($"load: {load.Describe()}");
        await run.WaitForCallsAsync(DrillRun.AllSent, options.SettleTimeout, last);
        last.Kill();

        var audit = await DeliveryAudit.TakeAsync(run.Database, run.Simulator, run.Tenants);
        report.Check("the load was accepted between kills", !load.Accepted.IsEmpty && load.NoAnswer > 0,
            $"{load.Accepted.Count} events got 202, {load.NoAnswer} requests hit a dead node");
        report.Check("kills landed while calls were being delivered", inFlightAtKills.Count > 0 || sentAtKills.Distinct().Count() > 1,
            $"{inFlightAtKills.Count} calls were claimed at some kill; sent count at each kill: {string.Join(" ", sentAtKills)}");
        audit.CheckAcceptedAreStored(report, load.Accepted);
        audit.CheckAllFinal(report, deadAllowed: false);
        audit.CheckSentWereDelivered(report);
        audit.CheckNoResendAfterSent(report);
        audit.CheckDuplicates(report, inFlightAtKills);
        var unanswered = audit.Calls.Count(c => c.MessageId is not null && !load.Accepted.ContainsKey(c.MessageId));
        report.Fact($"{unanswered} stored events never got their 202 (the node died between commit and answer); they were delivered too");
        return report;
    }
}
