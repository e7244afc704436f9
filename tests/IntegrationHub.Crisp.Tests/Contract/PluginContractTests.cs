using System.Text.Json.Nodes;

namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>Plugin connect routes; the website lists page over every website, so against an external simulator this class runs alone.</summary>
public sealed class PluginContractTests(WholeSimulatorFixture sim) : IClassFixture<WholeSimulatorFixture>
{
    [Fact]
    public async Task GetAccount_ReturnsThePluginId()
    {
        var account = await sim.Client.Plugin.GetAccountAsync();

        Assert.Equal(sim.Options.PluginId, account.PluginId);
    }

    [Fact]
    public async Task CheckSession_ValidPluginToken_True()
    {
        Assert.True(await sim.Client.Plugin.CheckSessionAsync());
    }

    [Fact]
    public async Task CheckSession_WrongKey_InvalidSession()
    {
        var wrong = sim.Client.WithCredentials(new CrispCredentials(sim.Options.PluginIdentifier, "not-the-key"));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => wrong.Plugin.CheckSessionAsync());

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_session", ex.Reason);
        Assert.DoesNotContain("not-the-key", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccount_UnknownToken_InvalidSessionFromTheEnvelope()
    {
        var wrong = sim.Client.WithCredentials(new CrispCredentials("unknown-identifier", "unknown-key-123"));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => wrong.Plugin.GetAccountAsync());

        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_session", ex.Reason);
        Assert.DoesNotContain("unknown-key-123", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("unknown-identifier", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListWebsites_InstalledWebsiteWithTokenSettingsAndPlan()
    {
        var websiteId = await sim.InstallWebsiteAsync(new JsonObject { ["shop_domain"] = "acme.example", ["sync"] = true });

        var all = new List<CrispConnectWebsite>();
        await foreach (var website in sim.Client.Plugin.ListAllWebsitesAsync(includePlan: true))
        {
            all.Add(website);
        }

        var mine = Assert.Single(all, w => w.WebsiteId == websiteId);
        Assert.False(string.IsNullOrEmpty(mine.Token));
        Assert.Equal("acme.example", (string?)mine.Settings!["shop_domain"]);
        Assert.True((bool?)mine.Settings["sync"]);
        Assert.NotNull(mine.Plan);
        Assert.False(string.IsNullOrEmpty(mine.Plan.Name));

        // The page that holds our website (page 1 in-process; later on a shared simulator with many websites).
        var pageOfMine = all.FindIndex(w => w.WebsiteId == websiteId) / sim.Options.DefaultPerPage + 1;
        var page = await sim.Client.Plugin.ListWebsitesAsync(pageOfMine);
        Assert.Contains(page, w => w.WebsiteId == websiteId);
        Assert.All(page, w => Assert.Null(w.Plan));
    }

    [Fact]
    public async Task ListWebsites_FilterConfigured_LeavesOutWebsitesWithoutSettings()
    {
        var configured = await sim.InstallWebsiteAsync(new JsonObject { ["key"] = "v" });
        var bare = await sim.InstallWebsiteAsync();

        var listed = new List<string>();
        await foreach (var website in sim.Client.Plugin.ListAllWebsitesAsync(filterConfigured: true))
        {
            listed.Add(website.WebsiteId);
        }

        Assert.Contains(configured, listed);
        Assert.DoesNotContain(bare, listed);
    }

    [Fact]
    public async Task ListWebsitesSince_ReportsAddedUpdatedAndRemoved()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var websiteId = await sim.InstallWebsiteAsync();

        var added = await sim.Client.Plugin.ListWebsitesSinceAsync(before);
        Assert.Equal("added", Assert.Single(added, w => w.WebsiteId == websiteId).Difference);

        await sim.Client.Plugin.UpdateSubscriptionSettingsAsync(websiteId, sim.Options.PluginId, new JsonObject { ["a"] = 1 });
        var updated = await sim.Client.Plugin.ListWebsitesSinceAsync(before);
        Assert.Equal("updated", Assert.Single(updated, w => w.WebsiteId == websiteId).Difference);

        await sim.UninstallWebsiteAsync(websiteId);
        var removed = await sim.Client.Plugin.ListWebsitesSinceAsync(before);
        Assert.Equal("removed", Assert.Single(removed, w => w.WebsiteId == websiteId).Difference);

        var later = await sim.Client.Plugin.ListWebsitesSinceAsync(DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.DoesNotContain(later, w => w.WebsiteId == websiteId);
    }

    [Fact]
    public async Task SubscriptionSettings_GetSaveReplacesUpdateMerges()
    {
        var websiteId = await sim.InstallWebsiteAsync(new JsonObject { ["a"] = "1", ["b"] = "2" });
        var pluginId = sim.Options.PluginId;

        var initial = await sim.Client.Plugin.GetSubscriptionSettingsAsync(websiteId, pluginId);
        Assert.Equal(websiteId, initial.WebsiteId);
        Assert.Equal(pluginId, initial.PluginId);
        Assert.False(string.IsNullOrEmpty(initial.Token));
        Assert.NotNull(initial.Schema);
        Assert.Equal("2", (string?)initial.Settings!["b"]);

        await sim.Client.Plugin.SaveSubscriptionSettingsAsync(websiteId, pluginId, new JsonObject { ["a"] = "10" });
        var saved = await sim.Client.Plugin.GetSubscriptionSettingsAsync(websiteId, pluginId);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["a"] = "10" }, saved.Settings));

        await sim.Client.Plugin.UpdateSubscriptionSettingsAsync(websiteId, pluginId, new JsonObject { ["c"] = 3, ["on"] = false });
        var updated = await sim.Client.Plugin.GetSubscriptionSettingsAsync(websiteId, pluginId);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["a"] = "10", ["c"] = 3, ["on"] = false }, updated.Settings));
    }

    [Fact]
    public async Task SubscriptionSettings_WebsiteNotInstalled_NotSubscribed()
    {
        var ex = await Assert.ThrowsAsync<CrispApiException>(
            () => sim.Client.Plugin.GetSubscriptionSettingsAsync(Guid.NewGuid().ToString(), sim.Options.PluginId));

        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("not_subscribed", ex.Reason);
    }

    [Fact]
    public async Task PluginRoute_WithWebsiteTierToken_RestrictedRouteTier()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var tenant = sim.Client.WithCredentials(await sim.MintWebsiteTokenAsync(websiteId));

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => tenant.Plugin.GetAccountAsync());

        Assert.Equal(403, ex.StatusCode);
        Assert.Equal("restricted_route_tier", ex.Reason);
    }
}
