namespace IntegrationHub.Crisp.Tests.Contract;

public sealed class CampaignContractTests(CrispSimulatorFixture sim) : IClassFixture<CrispSimulatorFixture>
{
    [Fact]
    public async Task List_Get_Dispatch()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var campaignId = await sim.SeedCampaignAsync(websiteId, "Black Friday");

        var listed = await sim.Client.Campaigns.ListAsync(websiteId, 1);
        Assert.Equal(campaignId, Assert.Single(listed).CampaignId);
        Assert.Empty(await sim.Client.Campaigns.ListAsync(websiteId, 2));

        var campaign = await sim.Client.Campaigns.GetAsync(websiteId, campaignId);
        Assert.Equal("Black Friday", campaign.Name);
        Assert.False(campaign.Dispatched);

        await sim.Client.Campaigns.DispatchAsync(websiteId, campaignId);

        var dispatched = await sim.Client.Campaigns.GetAsync(websiteId, campaignId);
        Assert.True(dispatched.Dispatched);
        Assert.NotNull(dispatched.DispatchedAt);
        Assert.Contains(await sim.DispatchesAsync(), d => d.CampaignId == campaignId && d.Tier == "plugin");
    }

    [Fact]
    public async Task Get_Unknown_NotFound()
    {
        var websiteId = await sim.InstallWebsiteAsync();

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => sim.Client.Campaigns.DispatchAsync(websiteId, Guid.NewGuid().ToString()));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("campaign_not_found", ex.Reason);
    }
}
