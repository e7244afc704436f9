using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Admin;
using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Infrastructure;

public sealed class InProcessAdminTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Fact]
    public async Task CrispSimulatorAdmin_SeedsWebsiteAndVisitor_VisibleThroughRestApi()
    {
        var admin = new CrispSimulatorAdmin(host.State);
        var installed = admin.InstallWebsite(null, "Demo", "demo.test", new JsonObject { ["mode"] = "demo" });
        var message = admin.SendVisitorMessage(installed.WebsiteId, "Hello from the demo", email: "visitor@demo.test");
        using var client = host.Plugin();

        var settings = await client.GetAsync($"v1/plugins/subscription/{installed.WebsiteId}/{host.Options.PluginId}/settings");
        var messages = await client.GetAsync($"v1/website/{installed.WebsiteId}/conversation/{message.SessionId}/messages");

        Assert.Equal(installed.SubscriptionToken, settings.Data!["token"]!.GetValue<string>());
        Assert.Equal("demo", settings.Data!["settings"]!["mode"]!.GetValue<string>());
        Assert.Equal(message.Fingerprint, Assert.Single(messages.DataArray)!["fingerprint"]!.GetValue<long>());
        Assert.Equal(["plugin:subscription:updated", "message:send"], host.State.GetHooks(installed.WebsiteId).Select(h => h.Event));
    }

    [Fact]
    public void CrispSimulatorAdmin_InstallTwice_Throws409WebsiteExists()
    {
        var admin = new CrispSimulatorAdmin(host.State);
        var installed = admin.InstallWebsite(null, "Twice", "twice.test");
        var error = Assert.Throws<CrispApiException>(() => admin.InstallWebsite(installed.WebsiteId, "Twice", "twice.test"));
        Assert.Equal(409, error.StatusCode);
        Assert.Equal("website_exists", error.Reason);
    }
}
