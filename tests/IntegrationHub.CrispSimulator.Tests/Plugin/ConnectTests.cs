using System.Globalization;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Plugin;

public sealed class ConnectTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Fact]
    public async Task WebsitesAll_PagedUntilEmpty_ListsEveryInstalledWebsiteOnce()
    {
        var installed = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            installed.Add(await host.InstallWebsiteAsync());
        }

        using var client = host.Plugin();
        var seen = new List<string>();
        for (var page = 1; ; page++)
        {
            var response = await client.GetAsync($"v1/plugin/connect/websites/all/{page}");
            Assert.Equal(206, response.Status);
            Assert.Equal("listed", response.Reason);
            var items = response.DataArray;
            Assert.True(items.Count <= 20);
            if (items.Count == 0)
            {
                break;
            }

            seen.AddRange(items.Select(item => item!["website_id"]!.GetValue<string>()));
            Assert.All(items, item => Assert.False(string.IsNullOrEmpty(item!["token"]!.GetValue<string>())));
            Assert.True(page < 10);
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), installed.ToHashSet());
        Assert.Equal(20, (await client.GetAsync("v1/plugin/connect/websites/all/1")).DataArray.Count);
    }

    [Fact]
    public async Task WebsitesAll_FilterConfiguredAndIncludePlan_ReturnsConfiguredWithPlan()
    {
        var configured = await host.InstallWebsiteAsync(new { api_key = "abc" });
        var unconfigured = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var all = new List<JsonNode>();
        for (var page = 1; ; page++)
        {
            var items = (await client.GetAsync($"v1/plugin/connect/websites/all/{page}?filter_configured=1&include_plan=1")).DataArray;
            if (items.Count == 0)
            {
                break;
            }

            all.AddRange(items!);
        }

        var item = Assert.Single(all, i => i["website_id"]!.GetValue<string>() == configured);
        Assert.Equal("abc", item["settings"]!["api_key"]!.GetValue<string>());
        Assert.NotNull(item["plan"]!["id"]);
        Assert.DoesNotContain(all, i => i["website_id"]!.GetValue<string>() == unconfigured);
    }

    [Fact]
    public async Task WebsitesSince_AfterInstallUpdateAndRemove_ReportsDifference()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("o", CultureInfo.InvariantCulture);
        var added = await host.InstallWebsiteAsync();
        var updated = await host.InstallWebsiteAsync();
        var removed = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        await admin.SendAsync(HttpMethod.Put, $"_sim/websites/{updated}/settings", new { settings = new { x = 1 } });
        await admin.SendAsync(HttpMethod.Delete, $"_sim/websites/{removed}");
        using var client = host.Plugin();

        var response = await client.GetAsync($"v1/plugin/connect/websites/since?date_since={Uri.EscapeDataString(since)}");

        Assert.Equal(206, response.Status);
        string Difference(string id) =>
            response.DataArray.Single(i => i!["website_id"]!.GetValue<string>() == id)!["difference"]!.GetValue<string>();
        Assert.Equal("added", Difference(added));
        Assert.Equal("updated", Difference(updated));
        Assert.Equal("removed", Difference(removed));
    }

    [Fact]
    public async Task WebsitesSince_WithoutDate_Returns400InvalidData()
    {
        using var client = host.Plugin();
        var response = await client.GetAsync("v1/plugin/connect/websites/since");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_data", response.Reason);
    }

    [Fact]
    public async Task SubscriptionSettings_GetPutPatch_ReplaceThenMerge()
    {
        var websiteId = await host.InstallWebsiteAsync(new { a = 1, b = 2 });
        using var client = host.Plugin();
        var path = $"v1/plugins/subscription/{websiteId}/{host.Options.PluginId}/settings";

        var initial = await client.GetAsync(path);
        Assert.Equal(200, initial.Status);
        Assert.Equal(websiteId, initial.Data!["website_id"]!.GetValue<string>());
        Assert.Equal(host.Options.PluginId, initial.Data!["plugin_id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(initial.Data!["token"]!.GetValue<string>()));
        Assert.Equal(2, initial.Data!["settings"]!["b"]!.GetValue<int>());

        var put = await client.SendAsync(HttpMethod.Put, path, new { c = "three" });
        Assert.Equal(200, put.Status);
        Assert.Equal("updated", put.Reason);
        var afterPut = (await client.GetAsync(path)).Data!["settings"]!.AsObject();
        Assert.Equal(["c"], afterPut.Select(p => p.Key));

        await client.SendAsync(HttpMethod.Patch, path, new { d = true });
        var afterPatch = (await client.GetAsync(path)).Data!["settings"]!.AsObject();
        Assert.Equal("three", afterPatch["c"]!.GetValue<string>());
        Assert.True(afterPatch["d"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SubscriptionSettings_WithOtherPluginId_Returns404NotSubscribed()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var response = await client.GetAsync($"v1/plugins/subscription/{websiteId}/{Guid.NewGuid()}/settings");
        Assert.Equal(404, response.Status);
        Assert.Equal("not_subscribed", response.Reason);
    }

    [Fact]
    public async Task SubscriptionSettings_PutWithNonObject_Returns400()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var response = await client.SendRawAsync(HttpMethod.Put, $"v1/plugins/subscription/{websiteId}/{host.Options.PluginId}/settings", "[1,2]");
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_data", response.Reason);
    }
}
