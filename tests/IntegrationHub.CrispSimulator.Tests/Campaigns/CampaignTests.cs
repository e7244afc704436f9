using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Campaigns;

public sealed class CampaignTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Fact]
    public async Task Campaigns_SeededThenListedFetchedAndDispatched_RecordsDispatch()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        using var client = host.Plugin();
        var seeded = await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/campaigns", new { name = "Welcome", subject = "Hi" });
        Assert.Equal(201, seeded.Status);
        var campaignId = seeded.Data!["campaign_id"]!.GetValue<string>();

        var list = await client.GetAsync($"v1/website/{websiteId}/campaigns/list/1");
        var get = await client.GetAsync($"v1/website/{websiteId}/campaign/{campaignId}");
        var dispatch = await client.SendAsync(HttpMethod.Post, $"v1/website/{websiteId}/campaign/{campaignId}/dispatch");
        var missing = await client.SendAsync(HttpMethod.Post, $"v1/website/{websiteId}/campaign/{Guid.NewGuid()}/dispatch");

        Assert.Equal(206, list.Status);
        Assert.Equal("Welcome", Assert.Single(list.DataArray)!["name"]!.GetValue<string>());
        Assert.Empty((await client.GetAsync($"v1/website/{websiteId}/campaigns/list/2")).DataArray);
        Assert.Equal(200, get.Status);
        Assert.False(get.Data!["dispatched"]!.GetValue<bool>());
        Assert.Equal(202, dispatch.Status);
        Assert.Equal("dispatched", dispatch.Reason);
        Assert.Equal(404, missing.Status);
        Assert.True((await client.GetAsync($"v1/website/{websiteId}/campaign/{campaignId}")).Data!["dispatched"]!.GetValue<bool>());
        var recorded = Assert.Single(host.State.Read(s => s.Dispatches.Where(d => d.WebsiteId == websiteId).ToList()));
        Assert.Equal(campaignId, recorded.CampaignId);
        var viaAdmin = await admin.GetAsync("_sim/dispatches");
        Assert.Contains(viaAdmin.DataArray, d => d!["campaign_id"]!.GetValue<string>() == campaignId);
    }
}
