namespace IntegrationHub.Drills;

/// <summary>
/// Scale-out: two hub processes on one PostgreSQL database (Hangfire's PostgreSQL storage; both run workers) and
/// one simulator. Phase 1: events posted to both nodes are delivered exactly once in total and each tenant's budget
/// holds across both nodes. Phase 2: more events, one node is killed mid-drain, the other finishes everything.
/// </summary>
public static class TwoNodeDrill
{
    public const int Budget = 12;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public static async Task<DrillReport> RunAsync(DrillOptions options, TextWriter output, int eventsPerTenant = 30)
    {
        await using var run = await DrillRun.StartAsync(options, "twonodes", tenants: 3, output);
        var report = run.Report;
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:DefaultBudgetPerMinute"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Delivery:BudgetWindow"] = $"00:00:{Window.TotalSeconds:00}",
            ["Delivery:MaxBudgetWait"] = "00:00:01",
            // The audit counts arrivals at the simulator, the budget counts sends: under a full parallel test run a
            // send reached the simulator more than the default 250 ms late once (14 in a 2 s window of 12). The drill
            // tests that two nodes share one budget (a split budget shows ~24), not this machine's scheduling jitter.
            ["Delivery:PermitSafetyMargin"] = "00:00:00.750",
        };
        report.Step("starting nodes A and B");
        var nodeA = await run.StartNodeAsync("A", HubProcess.FreePort(), settings);
        var nodeB = await run.StartNodeAsync("B", HubProcess.FreePort(), settings);
        report.Fact($"node A pid {nodeA.Pid} at {nodeA.Root}, node B pid {nodeB.Pid} at {nodeB.Root}; budget {Budget} per {Window.TotalSeconds} s per tenant");

        // ---- Phase 1: both nodes up --------------------------------------------------------------------------
        using var load1 = new EventLoad(run.Tenants, run.RunId + "a");
        var total1 = eventsPerTenant * run.Tenants.Count;
        report.Step($"phase 1: {total1} events posted alternately to A and B");
        await load1.RunAsync(() => [nodeA.Root, nodeB.Root], workers: 6, CancellationToken.None, count: total1);
        report.Fact($"phase 1 load: {load1.Describe()}; to A {load1.Accepted.Values.Count(a => a.Node == nodeA.Root)}, to B {load1.Accepted.Values.Count(a => a.Node == nodeB.Root)}");
        report.Check("phase 1: every event accepted", load1.Accepted.Count == load1.Posted, $"{load1.Accepted.Count} of {load1.Posted} got 202");
        await run.WaitForCallsAsync(DrillRun.AllSent, options.SettleTimeout, nodeA, nodeB);
        var audit1 = await DeliveryAudit.TakeAsync(run.Database, run.Simulator, run.Tenants);
        audit1.CheckAcceptedAreStored(report, load1.Accepted);
        audit1.CheckAllFinal(report, deadAllowed: false);
        audit1.CheckDuplicates(report);
        audit1.CheckBudget(report, Budget, Window);
        var servers = await run.Database.HangfireServersThatProcessedJobsAsync();
        report.Check("both nodes ran delivery jobs", servers.Any(s => s.Contains($":{nodeA.Pid}", StringComparison.Ordinal)) && servers.Any(s => s.Contains($":{nodeB.Pid}", StringComparison.Ordinal)),
            $"Hangfire servers that processed jobs: {string.Join(", ", servers)}");

        // ---- Phase 2: kill A mid-drain -----------------------------------------------------------------------
        using var load2 = new EventLoad(run.Tenants, run.RunId + "b");
        var total2 = eventsPerTenant * run.Tenants.Count;
        report.Step($"phase 2: {total2} more events to A and B, then A is killed mid-drain");
        await load2.RunAsync(() => [nodeA.Root, nodeB.Root], workers: 6, CancellationToken.None, count: total2);
        report.Check("phase 2: every event accepted", load2.Accepted.Count == load2.Posted, $"{load2.Accepted.Count} of {load2.Posted} got 202");
        var phase2 = load2.Accepted.Keys.ToHashSet(StringComparer.Ordinal);
        var deliveredBefore = DeliveredCount(run, phase2);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DeliveredCount(run, phase2) < deliveredBefore + Math.Max(3, total2 / 5) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        nodeA.Kill();
        var atKill = await run.Database.CallsAsync();
        var inFlight = atKill.Where(c => c.Status == "Sending").Select(c => c.Id).ToHashSet();
        var phase2AtKill = atKill.Where(c => c.MessageId is not null && phase2.Contains(c.MessageId)).ToList();
        report.Check("the kill landed mid-drain", phase2AtKill.Any(c => c.Status == "Sent") && phase2AtKill.Any(c => c.Status != "Sent"),
            $"at the kill: {string.Join(", ", phase2AtKill.GroupBy(c => c.Status).Select(g => $"{g.Count()} {g.Key}"))}");
        var finished = await run.WaitForCallsAsync(DrillRun.AllSent, options.SettleTimeout, nodeB);
        report.Check("node B alone finished everything", finished && !nodeB.HasExited, finished ? "every call sent after A died" : "calls left over");
        var audit2 = await DeliveryAudit.TakeAsync(run.Database, run.Simulator, run.Tenants);
        audit2.CheckAcceptedAreStored(report, load2.Accepted);
        audit2.CheckAllFinal(report, deadAllowed: false);
        audit2.CheckSentWereDelivered(report);
        audit2.CheckDuplicates(report, inFlight);
        audit2.CheckNoResendAfterSent(report);
        audit2.CheckBudget(report, Budget, Window);
        return report;
    }

    private static int DeliveredCount(DrillRun run, HashSet<string> messageIds) =>
        run.Tenants.SelectMany(t => run.Simulator.Journal(t.Id))
            .Where(DeliveryAudit.IsPeopleEventDelivery)
            .Select(e => DeliveryAudit.TextOf(e.Body))
            .Count(text => text is not null && messageIds.Contains(text));
}
