using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A hub stopped the ordinary way (a deploy, a scale-down) in the middle of a drain: the calls Crisp already answered
/// are recorded as sent before the drain gives up, so the next node does not send them again.
/// </summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task HubStoppedMidDrain_CallsCrispAnswered_AreNotSentAgainAfterRestart()
    {
        const int count = 40;
        await using var harness = await DeliveryHarness.StartAsync(startHub: false);
        var delivery = new Dictionary<string, string?>
        {
            ["Delivery:DefaultBudgetPerMinute"] = "100000",
            ["Delivery:MaxBudgetPerMinute"] = "100000",
            ["Delivery:DrainParallelism"] = "8",
            ["Delivery:PermitValidity"] = "00:00:02",
            ["Delivery:DrainSlice"] = "00:00:02",
            ["Delivery:LeaseDuration"] = "00:00:05",
        };
        harness.StartHub(harness.HubSettings(delivery, runJobs: false));
        var tenant = await harness.TenantAsync();
        var website = tenant.ToString("D");
        var campaigns = Enumerable.Range(0, count).Select(i => harness.SimAdmin.SeedCampaign(website, $"c{i}")).ToList();
        await harness.EnqueueAsync(tenant, campaigns.Select(c => (CrispCallKinds.CampaignDispatch, (object)new { campaign_id = c }, (string?)null)));
        await harness.PutAsync("faults", new { latency_ms = 400 });
        await harness.Hub.DisposeAsync();

        harness.StartHub(harness.HubSettings(delivery));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (harness.Sim.Dispatches.Count < 8 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.InRange(harness.Sim.Dispatches.Count, 8, count - 1); // stopped mid-drain, with calls already answered
        await harness.Hub.DisposeAsync();

        harness.StartHub(harness.HubSettings(delivery));
        await harness.WaitUntilAsync(tenant, DeliveryHarness.AllSent, TimeSpan.FromSeconds(60));

        var repeated = harness.Sim.Dispatches.GroupBy(d => d.CampaignId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(repeated);
        Assert.Equal(count, harness.Sim.Dispatches.Count);
    }
}
