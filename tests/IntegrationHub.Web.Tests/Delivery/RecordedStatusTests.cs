using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A delivered call shows the HTTP status Crisp gave its last request (the delivery log, the event view and the API
/// document it as "Crisp's HTTP status on the last try"), not a 200 the hub assumed: Crisp answers 201 for an added
/// people event and 202 for a dispatched campaign.
/// </summary>
public sealed class RecordedStatusTests : IAsyncLifetime
{
    private DeliveryHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DeliveryHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task SentCalls_KeepTheStatusCrispAnswered()
    {
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        var campaign = _harness.SimAdmin.SeedCampaign(tenant.ToString("D"), "welcome");
        await _harness.EnqueueAsync(tenant,
        [
            (CrispCallKinds.PeopleEventAdd, new { email = "ann@example.com", text = "signed up" }, "ann@example.com"),
            (CrispCallKinds.CampaignDispatch, new { campaign_id = campaign }, null),
        ]);

        await _harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(30));

        var calls = await _harness.CallsAsync(tenant);
        var journal = _harness.Journal(tenant);
        var eventAnswer = journal.Last(j => j.Method == "POST" && j.Path.Contains("/people/events/", StringComparison.Ordinal)).Status;
        var dispatchAnswer = journal.Last(j => j.Path.EndsWith("/dispatch", StringComparison.Ordinal)).Status;
        Assert.Equal(eventAnswer, calls.Single(c => c.Kind == CrispCallKinds.PeopleEventAdd).LastHttpStatus);
        Assert.Equal(dispatchAnswer, calls.Single(c => c.Kind == CrispCallKinds.CampaignDispatch).LastHttpStatus);
        Assert.All((await _harness.AttemptsAsync(tenant)).Where(a => a.Outcome == "sent"), a => Assert.NotEqual(200, a.HttpStatus));
    }
}
