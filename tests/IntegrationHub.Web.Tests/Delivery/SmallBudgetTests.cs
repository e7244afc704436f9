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
            ["Delivery:DefaultBudgetPerMinute"] = "4",
        });
        var tenant = await harness.TenantAsync();
        // Each new contact's data merge costs 3 requests; a budget of 4 leaves 1 after the first.
        await harness.EnqueueAsync(tenant, Enumerable.Range(0, 4).Select(i =>
            (CrispCallKinds.PeopleDataMerge, (object)new { email = $"n{i}@acme.example", data = new { plan = "pro" } }, (string?)$"n{i}@acme.example")));

        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(60));

        // The delivery's requests (the install hook's settings read, for one, is not a delivery and not budgeted).
        var journal = harness.Journal(tenant).Where(j => j.Path.Contains("/people/", StringComparison.Ordinal)).ToList();
        // One not-found write per contact (then the profile, then the write again): none cut off and redone.
        Assert.Equal(4, journal.Count(j => j.Method == "PATCH" && j.Path.Contains("/people/data/", StringComparison.Ordinal) && j.Status == 404));
        Assert.Equal(12, journal.Count);
        Assert.True(DeliveryHarness.MaxInAnyWindow(journal.Select(j => j.Time).ToList(), window) <= 4, "more than the budget in some sliding window");
    }
}
