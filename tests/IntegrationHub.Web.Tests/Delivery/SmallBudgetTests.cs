using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// The smallest budgets still deliver every call: a call is only started when the permits cover all the requests it
/// may need (a people write for a new contact: write, add profile, write again), so none is cut off halfway and
/// started over — which, under a budget smaller than a call, stalled that contact's queue for good.
/// </summary>
public sealed class SmallBudgetTests
{
    [Fact]
    public async Task WebsiteBudgetOfOne_NewContactDataMerge_DeliveredWithinTheRaisedMinimum()
    {
        var window = TimeSpan.FromSeconds(2);
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:BudgetWindow"] = "00:00:02",
            ["Delivery:PermitValidity"] = "00:00:00.500",
        });
        // 1 written in Crisp (the settings pages refuse it now): delivery raises it to the minimum a call needs.
        var tenant = await harness.TenantAsync(budgetPerMinute: 1);
        await harness.EnqueueAsync(tenant, [
            (CrispCallKinds.PeopleDataMerge, new { email = "gina@acme.example", data = new { plan = "pro" } }, "gina@acme.example"),
            (CrispCallKinds.PeopleDataMerge, new { email = "gina@acme.example", data = new { seats = 2 } }, "gina@acme.example"),
        ]);

        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(40));

        // The delivery's requests (the install hook's settings read, for one, is not a delivery and not budgeted).
        var journal = harness.Journal(tenant).Where(j => j.Path.Contains("/people/", StringComparison.Ordinal)).ToList();
        Assert.Equal(1, journal.Count(j => j.Method == "POST" && j.Path.EndsWith("/people/profile", StringComparison.Ordinal) && j.Status == 201));
        Assert.Equal(1, journal.Count(j => j.Method == "PATCH" && j.Path.Contains("/people/data/", StringComparison.Ordinal) && j.Status == 404));
        Assert.True(DeliveryHarness.MaxInAnyWindow(journal.Select(j => j.Time).ToList(), window) <= DeliveryOptions.MinBudgetPerMinute,
            "more than the budget in some sliding window");
    }

    [Fact]
    public async Task BudgetPartlyUsed_CallCostingMoreThanIsLeft_WaitsInsteadOfWastingRequests()
    {
        var window = TimeSpan.FromSeconds(2);
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:BudgetWindow"] = "00:00:02",
            ["Delivery:PermitValidity"] = "00:00:00.500",
            ["Delivery:DefaultBudgetPerMinute"] = "8",
        });
        var tenant = await harness.TenantAsync();
        // Each new contact's data merge costs 3 requests; a budget of 8 leaves 2 after the first two.
        await harness.EnqueueAsync(tenant, Enumerable.Range(0, 4).Select(i =>
            (CrispCallKinds.PeopleDataMerge, (object)new { email = $"n{i}@acme.example", data = new { plan = "pro" } }, (string?)$"n{i}@acme.example")));

        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(60));

        // The delivery's requests (the install hook's settings read, for one, is not a delivery and not budgeted).
        var journal = harness.Journal(tenant).Where(j => j.Path.Contains("/people/", StringComparison.Ordinal)).ToList();
        // One not-found write per contact (then the profile, then the write again): none cut off and redone.
        Assert.Equal(4, journal.Count(j => j.Method == "PATCH" && j.Path.Contains("/people/data/", StringComparison.Ordinal) && j.Status == 404));
        Assert.Equal(12, journal.Count);
        Assert.True(DeliveryHarness.MaxInAnyWindow(journal.Select(j => j.Time).ToList(), window) <= 8, "more than the budget in some sliding window");
    }

    [Fact]
    public async Task WebsiteBudgetOfOne_NoteNeedingTheMostRequests_Delivered()
    {
        var window = TimeSpan.FromSeconds(2);
        await using var harness = await DeliveryHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Delivery:BudgetWindow"] = "00:00:02",
            ["Delivery:PermitValidity"] = "00:00:00.500",
        });
        var tenant = await harness.TenantAsync(budgetPerMinute: 1);
        var website = tenant.ToString("D");
        const string email = "regular@acme.example";
        await harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleProfileUpsert, new { email, nickname = "Regular" }, email)]);
        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            var conversation = harness.SimAdmin.SendVisitorMessage(website, $"question {i}", email: email);
            harness.SimAdmin.SetConversationState(website, conversation.SessionId, "resolved");
        }

        // Seven requests: the contact's conversations, a read of each of the three (all resolved), a new conversation,
        // its email, the note. Under the old minimum of 3 the call was cut off after three requests, every round, forever.
        await harness.EnqueueAsync(tenant, [(CrispCallKinds.ConversationNote, new { email, content = "Upgraded to pro", create_conversation = true }, email)]);
        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(40));

        var call = (await harness.CallsAsync(tenant)).Last();
        Assert.Equal(CrispCallStatus.Sent, call.Status);
        var journal = harness.Journal(tenant);
        Assert.Single(journal, j => j.Method == "POST" && j.Path.EndsWith("/conversation", StringComparison.Ordinal) && j.Status is >= 200 and < 300);
        // Cut off at most once: the call is then claimed with what the costliest call can need.
        Assert.True(journal.Count(j => j.Path.Contains("/people/conversations/", StringComparison.Ordinal)) <= 2, "the call was started over again and again");
        Assert.True(DeliveryHarness.MaxInAnyWindow(journal.Select(j => j.Time).ToList(), window) <= DeliveryOptions.MinBudgetPerMinute,
            "more than the budget in some sliding window");
    }
}
