using System.Text.Json.Nodes;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Infrastructure.Cli;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>The delivery engine against the Crisp simulator: budgets, rate limits, retries, dead letters, semantics.</summary>
public sealed class DeliveryEngineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Burst_NeverExceedsTheTenantBudgetInAnySlidingWindow()
    {
        // A 2-second budget window keeps the proof short; the guarantee does not depend on the window's length.
        var window = TimeSpan.FromSeconds(2);
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:BudgetWindow"] = "00:00:02",
            ["Delivery:PermitValidity"] = "00:00:00.500",
            ["Delivery:DefaultBudgetPerMinute"] = "8",
        });
        var tenant = await harness.TenantAsync();
        // 10 new contacts (first event: people_not_found → add profile → retry = 3 requests), then cached ones (1).
        await harness.EnqueueAsync(tenant, Enumerable.Range(0, 20).Select(i =>
            (CrispCallKinds.PeopleEventAdd, (object)new { email = $"c{i % 10}@acme.example", text = $"event {i}" }, (string?)$"c{i % 10}@acme.example")));

        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(90));

        var journal = harness.Journal(tenant);
        // Each contact's profile is created once (write → people_not_found → add → write again), then the cached
        // people_id makes every later event one call (by id, never by email again).
        Assert.Equal(10, journal.Count(j => j.Method == "POST" && j.Path.EndsWith("/people/profile", StringComparison.Ordinal) && j.Status == 201));
        Assert.Equal(20, journal.Count(j => j.Method == "POST" && j.Path.Contains("/people/events/", StringComparison.Ordinal) && j.Status < 300));
        foreach (var created in journal.Where(j => j.Path.EndsWith("/people/profile", StringComparison.Ordinal) && j.Status == 201))
        {
            var email = JsonNode.Parse(created.Body)!["email"]!.GetValue<string>();
            Assert.DoesNotContain(journal, j => j.Sequence > created.Sequence && j.Path.EndsWith("/people/events/" + email, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(journal, j => j.Status == 429);
        Assert.True(DeliveryHarness.MaxInAnyWindow(journal.Select(j => j.Time).ToList(), window) <= 8,
            "more than the budget in some sliding window");
        // Per contact, events arrive in the order they were accepted.
        var order = journal.Where(j => j.Method == "POST" && j.Path.Contains("/people/events/", StringComparison.Ordinal) && j.Status < 300)
            .Select(j => JsonNode.Parse(j.Body)!["text"]!.GetValue<string>()).ToList();
        for (var contact = 0; contact < 10; contact++)
        {
            var mine = order.Where(t => int.Parse(t[6..], System.Globalization.CultureInfo.InvariantCulture) % 10 == contact).ToList();
            Assert.Equal(mine.OrderBy(t => int.Parse(t[6..], System.Globalization.CultureInfo.InvariantCulture)), mine);
        }
    }

    [Fact]
    public async Task RateLimitStormOnOneTenant_LeavesAnotherTenantsDeliveryUnaffected()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:DefaultBudgetPerMinute"] = "600",
            ["Delivery:MaxBudgetPerMinute"] = "600",
        });
        var stormy = await harness.TenantAsync("Stormy");
        var calm = await harness.TenantAsync("Calm");
        await harness.PutAsync($"websites/{stormy:D}/limits", new { requests_per_minute = 2, retry_after_seconds = 2 });
        await harness.EnqueueAsync(stormy, Campaigns(harness, stormy, 10));
        await harness.EnqueueAsync(calm, Campaigns(harness, calm, 10));

        await harness.WaitUntilAsync(calm, DeliveryHarness.AllSent, TimeSpan.FromSeconds(15));
        await harness.WaitUntilAsync(stormy, calls => calls.Any(c => c.Status == CrispCallStatus.Sent), Patience);
        await Task.Delay(TimeSpan.FromSeconds(3)); // long enough for a retry, were one to land too early

        Assert.DoesNotContain(harness.Journal(calm), j => j.Status is 429 or 420);
        var stormyJournal = harness.Journal(stormy);
        var refusals = stormyJournal.Where(j => j.Status == 429).ToList();
        Assert.NotEmpty(refusals);
        foreach (var refusal in refusals)
        {
            // No retry lands in the window that just refused it: the call's next try waits for Retry-After.
            Assert.DoesNotContain(stormyJournal, j => j.Path == refusal.Path && j.Time > refusal.Time && j.Time < refusal.Time + TimeSpan.FromSeconds(2));
        }

        var state = await harness.StateAsync(stormy);
        Assert.True(state!.BudgetFactor < 1, "the budget adapts downward after rate limiting");
        Assert.DoesNotContain(await harness.CallsAsync(stormy), c => c.Status == CrispCallStatus.Dead);
        Assert.Contains(await harness.AttemptsAsync(stormy), a => a.Outcome == "rate_limited");
        Assert.Equal(1, (await harness.StateAsync(calm))!.BudgetFactor);
    }

    [Fact]
    public async Task RateLimitWithRetryAfterZero_BacksOffAsWithoutOne_NotIntoTheRefusingWindow()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:DefaultBudgetPerMinute"] = "600",
            ["Delivery:MaxBudgetPerMinute"] = "600",
            ["Delivery:RateLimitBackoffBase"] = "00:00:02",
            ["Delivery:RateLimitBackoffMax"] = "00:00:10",
        });
        var tenant = await harness.TenantAsync();
        await harness.PutAsync($"websites/{tenant:D}/limits", new { requests_per_minute = 2, retry_after_seconds = 0 });
        await harness.EnqueueAsync(tenant, Campaigns(harness, tenant, 6));

        await harness.WaitUntilAsync(tenant, calls => calls.Count(c => c.Status == CrispCallStatus.Sent) >= 2, Patience);
        await Task.Delay(TimeSpan.FromSeconds(4)); // a retry 50–250 ms after each refusal would have come many times by now

        var journal = harness.Journal(tenant);
        var refusals = journal.Where(j => j.Status == 429).ToList();
        Assert.NotEmpty(refusals);
        foreach (var refusal in refusals)
        {
            Assert.DoesNotContain(journal, j => j.Path == refusal.Path && j.Time > refusal.Time && j.Time < refusal.Time + TimeSpan.FromSeconds(1.5));
        }
    }

    [Fact]
    public async Task ServerErrors_AreRetriedToSuccess_InOrderPerContact()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:DefaultBudgetPerMinute"] = "600",
            ["Delivery:MaxBudgetPerMinute"] = "600",
            ["Delivery:RetryBaseDelay"] = "00:00:00.100",
            ["Delivery:RetryMultiplier"] = "1.5",
            ["Delivery:RetryMaxDelay"] = "00:00:00.500",
            ["Delivery:MaxAttempts"] = "30",
        });
        var tenant = await harness.TenantAsync();
        // The client retries a 5xx once by itself, so an engine-level retry needs two failures in a row (0.36 each):
        // with 24 calls, a run without any is about 1 in 50,000.
        await harness.PutAsync("faults", new { error_rate = 0.6, error_status = 503, website_id = tenant.ToString("D") });
        await harness.EnqueueAsync(tenant, Enumerable.Range(0, 24).Select(i =>
            (CrispCallKinds.PeopleDataMerge, (object)new { email = $"p{i % 2}@acme.example", data = new { seq = i } }, (string?)$"p{i % 2}@acme.example")));

        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, Patience);

        var attempts = await harness.AttemptsAsync(tenant);
        Assert.Contains(attempts, a => a.Outcome == "retry" && a.HttpStatus == 503);
        var writes = harness.Journal(tenant).Where(j => j.Method == "PATCH" && j.Path.Contains("/people/data/", StringComparison.Ordinal) && j.Status == 200)
            .Select(j => JsonNode.Parse(j.Body)!["data"]!["seq"]!.GetValue<int>()).ToList();
        foreach (var parity in new[] { 0, 1 })
        {
            var mine = writes.Where(s => s % 2 == parity).ToList();
            Assert.Equal(Enumerable.Range(0, 24).Where(s => s % 2 == parity), mine.Distinct());
            Assert.Equal(mine.Order(), mine);
        }
    }

    [Fact]
    public async Task DeadLetters_KeepTheReason_AndReplayFromTheCommandLine()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:RetryBaseDelay"] = "00:00:00.050",
            ["Delivery:RetryMaxDelay"] = "00:00:00.100",
            ["Delivery:MaxAttempts"] = "2",
        });
        var tenant = await harness.TenantAsync();
        await harness.PutAsync("faults", new { error_rate = 1.0, error_status = 500, website_id = tenant.ToString("D") });
        var campaign = harness.SimAdmin.SeedCampaign(tenant.ToString("D"), "Welcome");
        var ids = await harness.EnqueueAsync(tenant, [
            (CrispCallKinds.CampaignDispatch, new { campaign_id = campaign }, null),
            (CrispCallKinds.ConversationMessage, new { session_id = "session_00000000-0000-0000-0000-000000000000", content = "hi" }, null),
        ]);

        await harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status == CrispCallStatus.Dead), Patience);
        var dead = await harness.CallsAsync(tenant);
        Assert.Equal(2, dead.Single(c => c.Id == ids[0]).Attempts);
        Assert.Contains("500", dead.Single(c => c.Id == ids[0]).LastError, StringComparison.Ordinal);

        await harness.PutAsync("faults", new { error_rate = 0.0, website_id = (string?)null });
        var output = new StringWriter();
        var exit = await HubCommandLine.RunAsync(
            ["deliveries", "replay", "--website", tenant.ToString("D"), "--all-dead"], output, new StringWriter(),
            new Dictionary<string, string?> { ["Database:Provider"] = "Sqlite", ["ConnectionStrings:Hub"] = harness.ConnectionString, ["Hub:DataDirectory"] = harness.DataDirectory });
        Assert.Equal(0, exit);
        Assert.Contains("2 dead-lettered call(s)", output.ToString(), StringComparison.Ordinal);

        await harness.WaitUntilAsync(tenant, calls => calls.Single(c => c.Id == ids[0]).Status == CrispCallStatus.Sent
            && calls.Single(c => c.Id == ids[1]).Status == CrispCallStatus.Dead, Patience);
        var unknownSession = (await harness.CallsAsync(tenant)).Single(c => c.Id == ids[1]);
        Assert.Equal("session_not_found", unknownSession.LastReason); // a 404 that cannot succeed: dead at once
        Assert.Single(harness.Sim.Dispatches);

        // One call by id: a call that is not dead, or not the website's, is said so with exit 1 (not "0 queued again").
        foreach (var (call, message) in new[] { (ids[0], $"Call {ids[0]} is sent, not dead"), (999_999L, "has no Crisp call 999999") })
        {
            var error = new StringWriter();
            var code = await HubCommandLine.RunAsync(
                ["deliveries", "replay", "--website", tenant.ToString("D"), "--call", call.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                new StringWriter(), error,
                new Dictionary<string, string?> { ["Database:Provider"] = "Sqlite", ["ConnectionStrings:Hub"] = harness.ConnectionString, ["Hub:DataDirectory"] = harness.DataDirectory });
            Assert.Equal(1, code);
            Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        }

        // The replay is in the website's audit log like the dashboard's; the refused ones left no entry.
        await using var scope = harness.Scope(tenant);
        var audit = await scope.Db.Set<Web.Features.Audit.AuditEntry>().AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.Actor, a.Action, a.Target, a.Details }).ToListAsync();
        var entry = Assert.Single(audit);
        Assert.Equal(("cli", "delivery.replayed", "all dead calls", "2 dead call(s) re-queued"), (entry.Actor, entry.Action, entry.Target, entry.Details));
    }

    [Fact]
    public async Task SessionData_IsMerged_AndUninstallPausesUntilReinstall()
    {
        await using var harness = await DeliveryHarness.StartAsync();
        var tenant = await harness.TenantAsync();
        var website = tenant.ToString("D");
        var client = harness.Hub.Services.GetRequiredService<CrispClient>();
        await client.People.AddProfileAsync(website, new CrispPeopleProfileInput { Email = "vera@acme.example" });
        var visitor = harness.SimAdmin.SendVisitorMessage(website, "hello", email: "vera@acme.example");
        await harness.EnqueueAsync(tenant, [
            (CrispCallKinds.SessionDataMerge, new { email = "vera@acme.example", data = new { plan = "pro" } }, "vera@acme.example"),
            (CrispCallKinds.SessionDataMerge, new { email = "vera@acme.example", data = new { seats = 3 } }, "vera@acme.example"),
            (CrispCallKinds.SessionDataMerge, new { email = "vera@acme.example", data = new { seats = 3 } }, "vera@acme.example"),
        ]);
        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, Patience);

        var meta = await client.Conversations.GetMetaAsync(website, visitor.SessionId);
        Assert.Equal("pro", meta.Data!["plan"]!.GetValue<string>());
        Assert.Equal(3, meta.Data!["seats"]!.GetValue<int>());
        Assert.Equal(2, harness.Journal(tenant).Count(j => j.Method == "PATCH" && j.Path.EndsWith("/meta", StringComparison.Ordinal)));
        Assert.Contains(await harness.AttemptsAsync(tenant), a => a.Outcome == "skipped"); // the no-op write is not made

        var lifecycle = harness.Hub.Services.GetRequiredService<InstallationLifecycle>();
        await lifecycle.UninstallAsync(tenant, CancellationToken.None);
        var before = harness.Journal(tenant).Count;
        await harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleDataMerge, new { email = "vera@acme.example", data = new { after = 1 } }, "vera@acme.example")]);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(before, harness.Journal(tenant).Count); // an uninstalled tenant's queue is skipped
        Assert.Equal(1, (await harness.CallsAsync(tenant)).Count(c => c.Status != CrispCallStatus.Sent));

        await lifecycle.InstallOrUpdateAsync(new CrispInstall(tenant, null, null), CancellationToken.None);
        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, Patience);
    }

    [Fact]
    public async Task PluginQuotaNearItsLimit_PausesCallsWithoutDroppingThem()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:DailyQuota"] = "10",
            ["Delivery:QuotaPauseThreshold"] = "0.5",
        });
        var first = await harness.TenantAsync("First");
        var second = await harness.TenantAsync("Second");
        await harness.EnqueueAsync(first, Campaigns(harness, first, 4));
        await harness.EnqueueAsync(second, Campaigns(harness, second, 4));

        await WaitForAsync(async () => (await harness.CallsAsync(first)).Concat(await harness.CallsAsync(second)).Count(c => c.Status == CrispCallStatus.Sent) >= 5);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var all = (await harness.CallsAsync(first)).Concat(await harness.CallsAsync(second)).ToList();
        Assert.Equal(5, all.Count(c => c.Status == CrispCallStatus.Sent)); // the quota is shared by every tenant
        Assert.Equal(3, all.Count(c => c.Status == CrispCallStatus.Queued)); // paused, not dropped
        await using var scope = harness.Hub.Services.CreateAsyncScope();
        var quota = await scope.ServiceProvider.GetRequiredService<PluginQuota>().GetStatusAsync(CancellationToken.None);
        Assert.True(quota.Paused);
        Assert.Equal(5, quota.Used);
    }

    [Fact]
    public async Task QuotaLeftBelowWhatTheNextCallNeeds_DeliveriesPauseAndSaySo()
    {
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:DailyQuota"] = "10",
            ["Delivery:QuotaPauseThreshold"] = "1",
        });
        var tenant = await harness.TenantAsync();
        // Nine requests of the ten, then a call for a contact Crisp does not know yet, which needs three.
        var calls = Campaigns(harness, tenant, 9);
        calls.Add((CrispCallKinds.PeopleDataMerge, new { email = "new@example.com", data = new { plan = "pro" } }, "new@example.com"));
        await harness.EnqueueAsync(tenant, calls);
        await harness.WaitUntilAsync(tenant, all => all.Count(c => c.Status == CrispCallStatus.Sent) == 9, Patience);

        async Task<QuotaStatus> QuotaAsync()
        {
            await using var scope = harness.Hub.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<PluginQuota>().GetStatusAsync(CancellationToken.None);
        }

        await WaitForAsync(async () => (await QuotaAsync()).Paused);
        await Task.Delay(TimeSpan.FromSeconds(1)); // paused for good, not only while a claim held the last request

        Assert.True((await QuotaAsync()).Paused, "the quota left cannot cover the queued call, yet deliveries do not say paused");
        var after = await harness.CallsAsync(tenant);
        Assert.Equal(9, after.Count(c => c.Status == CrispCallStatus.Sent));
        Assert.Equal(CrispCallStatus.Queued, after[^1].Status); // kept for tomorrow
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100);
        }
    }

    private static List<(string, object, string?)> Campaigns(DeliveryHarness harness, Guid tenant, int count) =>
        Enumerable.Range(0, count).Select(i => (CrispCallKinds.CampaignDispatch, (object)new { campaign_id = harness.SimAdmin.SeedCampaign(tenant.ToString("D"), $"c{i}") }, (string?)null)).ToList();
}
