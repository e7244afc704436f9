using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A call is claimed with the permits its estimate says it needs. A call that needs more (a profile upsert that reads
/// the profile to merge its segments, a contact whose recent conversations are all resolved) used to run out of
/// permits at the same request every round: it went back in line, was claimed with the same estimate again, and never
/// finished — spending the tenant's whole budget on the same reads and holding back every later call of the contact.
/// </summary>
public sealed class CallCostEstimateTests : IAsyncLifetime
{
    private DeliveryHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DeliveryHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ProfileUpsertWithSegments_ForKnownContact_DeliveredWithOneRead()
    {
        var tenant = await _harness.TenantAsync("Shop");
        const string email = "known@example.com";
        await _harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleProfileUpsert, new { email, nickname = "Known" }, email)]);
        await _harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(30));

        // The people_id is cached now; this push reads the profile (to merge segments) and writes it: two requests.
        await _harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleProfileUpsert, new { email, segments = new[] { "vip" } }, email)]);
        await _harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(20));

        var person = Assert.Single(_harness.Sim.FindWebsite(tenant.ToString("D"))!.People);
        Assert.Equal(["vip"], person.Segments);
        Assert.Equal(1, _harness.Journal(tenant).Count(j => j.Method == "GET" && j.Path.Contains("/people/profile/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SessionData_ContactWithOnlyResolvedConversations_FinishesAsSkipped()
    {
        var tenant = await _harness.TenantAsync("Shop");
        var website = tenant.ToString("D");
        const string email = "regular@example.com";
        await _harness.EnqueueAsync(tenant, [(CrispCallKinds.PeopleProfileUpsert, new { email, nickname = "Regular" }, email)]);
        await _harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(30));
        for (var i = 0; i < 3; i++)
        {
            var conversation = _harness.SimAdmin.SendVisitorMessage(website, $"question {i}", email: email);
            _harness.SimAdmin.SetConversationState(website, conversation.SessionId, "resolved");
        }

        // The people conversations list, then one read per conversation to find an open one: more than estimated.
        await _harness.EnqueueAsync(tenant, [(CrispCallKinds.SessionDataMerge, new { email, data = new { plan = "pro" }, create_conversation = false }, email)]);
        await _harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(20));

        var call = (await _harness.CallsAsync(tenant)).Last();
        Assert.Equal(CrispCallStatus.Sent, call.Status);
        Assert.StartsWith("no open conversation", call.LastReason);
        Assert.True(_harness.Journal(tenant).Count(j => j.Path.Contains("/people/conversations/", StringComparison.Ordinal)) <= 3,
            "the call was cut off and started over again and again");
    }
}
