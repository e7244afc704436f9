namespace IntegrationHub.Drills;

/// <summary>
/// Simulator faults under load, one after the other, each for <see cref="DrillOptions.FaultPhase"/>: 5xx answers,
/// latency beyond the client's timeout, dropped connections, a 429 storm on one tenant, and a total outage of one
/// tenant long enough to dead-letter calls. Then faults stop and the outbox settles. Nothing may be lost silently:
/// the calls planned for accepted events are exactly the sent plus the dead-lettered ones, and every dead letter
/// carries its reason.
/// </summary>
public static class FaultDrill
{
    private static readonly TimeSpan MaxPhase = TimeSpan.FromSeconds(45);

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    public static async Task<DrillReport> RunAsync(DrillOptions options, TextWriter output)
    {
        await using var run = await DrillRun.StartAsync(options, "faults", tenants: 3, output);
        var report = run.Report;
        var node = await run.StartNodeAsync("faults", HubProcess.FreePort(), HubNodeSettings.Merge(HubNodeSettings.Unlimited(), new Dictionary<string, string?>
        {
            // Few, fast retries: a tenant whose Crisp is down for a phase dead-letters within it.
            ["Delivery:MaxAttempts"] = "3",
            ["Delivery:RetryBaseDelay"] = "00:00:00.200",
            ["Delivery:RetryMultiplier"] = "2",
            ["Delivery:RetryMaxDelay"] = "00:00:01",
            ["Delivery:RateLimitBackoffBase"] = "00:00:01",
            ["Delivery:RateLimitBackoffMax"] = "00:00:03",
            ["Crisp:Timeout"] = "00:00:01",
        }));
        var (_, storm, outage) = (run.Tenants[0], run.Tenants[1], run.Tenants[2]);

        using var load = new EventLoad(run.Tenants, run.RunId);
        using var stopLoad = new CancellationTokenSource();
        var loadTask = load.RunAsync(() => [node.Root], workers: 3, stopLoad.Token);
        // Each fault runs at least FaultPhase, and on until the hub has met it (a loaded machine may need longer).
        int Journal(Func<IntegrationHub.CrispSimulator.Journal.JournalEntry, bool> match) => run.Tenants.Sum(t => run.Simulator.Journal(t.Id).Count(match));
        async Task<int> Attempts(string suffix) => (await run.Database.AttemptOutcomesAsync()).Where(a => a.Key.EndsWith(suffix, StringComparison.Ordinal)).Sum(a => a.Value);
        async Task<int> DeadOf(Guid tenant) => (await run.Database.CallsAsync()).Count(c => c.TenantId == tenant && c.Status == "Dead");
        var phases = new (string Name, Func<Task> Start, Func<Task<int>> Observed, int Needed)[]
        {
            ("5xx on half the requests", () => run.Simulator.SetFaultsAsync(new { error_rate = 0.5, error_status = 503 }),
                () => Task.FromResult(Journal(e => e.Status >= 500)), 5),
            ("latency 1.5 s (client timeout 1 s)", () => run.Simulator.SetFaultsAsync(new { error_rate = 0.0, latency_ms = 1500 }),
                () => Attempts("/timeout"), 2),
            ("dropped connections on 40%", () => run.Simulator.SetFaultsAsync(new { latency_ms = 0, drop_rate = 0.4 }),
                () => Task.FromResult(Journal(e => e.Status == 0)), 5),
            ($"429 storm on {storm.Name} (3 per minute, Retry-After 1 s)", async () =>
            {
                await run.Simulator.ClearFaultsAsync();
                await run.Simulator.SetLimitsAsync(storm.Id, 3, retryAfterSeconds: 1);
            }, () => Task.FromResult(Journal(e => e.Status == 429)), 3),
            ($"Crisp down for {outage.Name} (every request 500)", async () =>
            {
                await run.Simulator.SetLimitsAsync(storm.Id, 0);
                await run.Simulator.SetFaultsAsync(new { error_rate = 1.0, error_status = 500, website_id = outage.Id.ToString("D") });
            }, () => DeadOf(outage.Id), 2),
        };

        // Warm-up: faults start once events flow end to end (the first requests of a fresh process are slow).
        await WaitAsync(() => Task.FromResult(run.Tenants.Sum(t => run.Simulator.Journal(t.Id).Count(DeliveryAudit.IsPeopleEventDelivery)) >= 10), MaxPhase);
        foreach (var (name, start, observed, needed) in phases)
        {
            report.Step($"fault: {name}, at least {options.FaultPhase.TotalSeconds:0.#} s and until the hub met it {needed} times");
            var before = await observed();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await start();
            await Task.Delay(options.FaultPhase);
            var met = await WaitAsync(async () => await observed() - before >= needed, MaxPhase);
            report.Fact($"{name}: {await observed() - before} seen in {watch.Elapsed.TotalSeconds:0.0} s{(met ? string.Empty : " (fewer than wanted)")}");
        }

        report.Step("faults off; the load stops; the outbox settles");
        await run.Simulator.ClearFaultsAsync();
        await stopLoad.CancelAsync();
        await loadTask;
        report.Fact($"load: {load.Describe()}");
        await run.WaitForCallsAsync(DrillRun.AllFinal, options.SettleTimeout, node);

        var audit = await DeliveryAudit.TakeAsync(run.Database, run.Simulator, run.Tenants);
        var journal = audit.Journal.Values.SelectMany(j => j).ToList();
        var seen = new Dictionary<string, int>
        {
            ["5xx"] = journal.Count(e => e.Status >= 500),
            ["dropped"] = journal.Count(e => e.Status == 0),
            ["429"] = journal.Count(e => e.Status == 429),
        };
        var attempts = await run.Database.AttemptOutcomesAsync();
        seen["timeouts"] = attempts.Where(a => a.Key.EndsWith("/timeout", StringComparison.Ordinal)).Sum(a => a.Value);
        report.Check("every fault was injected", seen.Values.All(n => n > 0),
            $"Crisp journal: {seen["5xx"]} 5xx, {seen["dropped"]} dropped, {seen["429"]} 429; the hub logged {seen["timeouts"]} timeouts");
        report.Fact("attempts by outcome/reason: " + string.Join(", ", attempts.OrderByDescending(a => a.Value).Select(a => $"{a.Value}× {a.Key}")));
        audit.CheckAcceptedAreStored(report, load.Accepted);
        audit.CheckAllFinal(report, deadAllowed: true);
        var planned = audit.Calls.Where(c => c.MessageId is not null && load.Accepted.ContainsKey(c.MessageId)).ToList();
        int sent = planned.Count(c => c.Status == "Sent"), dead = planned.Count(c => c.Status == "Dead");
        report.Check("accepted events' planned calls == sent + dead", load.Accepted.Count * DrillSeeder.CallsPerEvent == sent + dead,
            $"{load.Accepted.Count * DrillSeeder.CallsPerEvent} planned, {sent} sent + {dead} dead");
        var deadWithoutReason = audit.Calls.Count(c => c.Status == "Dead" && (string.IsNullOrWhiteSpace(c.LastReason) || string.IsNullOrWhiteSpace(c.LastError)));
        var reasons = audit.Calls.Where(c => c.Status == "Dead").GroupBy(c => c.LastReason).Select(g => $"{g.Count()}× {g.Key}");
        report.Check("every dead letter has a reason", dead > 0 && deadWithoutReason == 0,
            $"{dead} dead ({string.Join(", ", reasons)}), {deadWithoutReason} without reason");
        audit.CheckSentWereDelivered(report);
        var deadOutsideOutage = audit.Calls.Count(c => c.Status == "Dead" && c.TenantId != outage.Id);
        report.Fact($"{deadOutsideOutage} dead letters outside the outage tenant (5xx/timeouts/drops exhausted 3 tries); "
                    + $"{audit.Deliveries.Count(d => d.Value.Count > 1)} events reached Crisp more than once (timeouts: outcome unknown, retried)");
        return report;
    }
}
