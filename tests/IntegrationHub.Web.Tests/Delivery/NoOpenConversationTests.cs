using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>Contacts who are not chatting: conversation actions are skipped, not dead-lettered.</summary>
public sealed class NoOpenConversationTests : IAsyncLifetime
{
    private DeliveryHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DeliveryHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ConversationActions_ContactWithoutConversation_SkippedAsDoneWithoutWrites()
    {
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        await _harness.EnqueueAsync(tenant,
        [
            (CrispCallKinds.PeopleDataMerge, new { email = "quiet@example.com", data = new { plan = "pro" } }, "quiet@example.com"),
            (CrispCallKinds.SessionDataMerge, new { email = "quiet@example.com", data = new { plan = "pro" }, create_conversation = false }, "quiet@example.com"),
            (CrispCallKinds.ConversationSegmentsAdd, new { email = "quiet@example.com", segments = new[] { "billing" }, create_conversation = false }, "quiet@example.com"),
            (CrispCallKinds.ConversationNote, new { email = "quiet@example.com", content = "hello", create_conversation = false }, "quiet@example.com"),
        ]);

        await _harness.WaitUntilAsync(tenant, calls => calls.All(c => c.Status is CrispCallStatus.Sent or CrispCallStatus.Dead), TimeSpan.FromSeconds(60));

        var calls = await _harness.CallsAsync(tenant);
        Assert.All(calls, c => Assert.Equal(CrispCallStatus.Sent, c.Status));
        Assert.DoesNotContain(_harness.Journal(tenant), e => e.Path.Contains("/conversation/", StringComparison.Ordinal) && e.Method != "GET");
        Assert.Empty(_harness.Sim.FindWebsite(tenant.ToString("D"))!.Conversations);
    }
}
