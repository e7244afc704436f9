using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Limits;

public sealed class JournalTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Fact]
    public async Task Journal_MixedCalls_RecordsEveryRequestInOrderIncludingRefusals()
    {
        var websiteId = await host.InstallWebsiteAsync();
        var uninstalled = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        await admin.SendAsync(HttpMethod.Delete, $"_sim/websites/{uninstalled}");
        using var client = host.Plugin();
        using var anonymous = host.Client(null, null, "plugin");
        await admin.SendAsync(HttpMethod.Put, $"_sim/websites/{websiteId}/limits", new { requests_per_minute = 3 });

        await client.SendAsync(HttpMethod.Post, $"v1/website/{websiteId}/people/profile", new { email = "j@example.com" });
        await anonymous.GetAsync($"v1/website/{websiteId}/people/profiles/1");
        await client.GetAsync($"v1/website/{uninstalled}/people/profiles/1");
        await client.GetAsync($"v1/website/{websiteId}/people/profiles/1?search_text=j");
        await client.GetAsync($"v1/website/{websiteId}/people/profile/j@example.com");
        await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");

        var journal = await admin.GetAsync($"_sim/journal?website_id={websiteId}");
        Assert.Equal(206, journal.Status);
        var entries = journal.DataArray.Select(e => e!.AsObject()).ToList();
        Assert.Equal([201, 401, 206, 200, 429], entries.Select(e => e["status"]!.GetValue<int>()));
        Assert.Equal(["added", "invalid_session", "listed", "resolved", "rate_limited"], entries.Select(e => e["reason"]!.GetValue<string>()));
        Assert.Equal(["POST", "GET", "GET", "GET", "GET"], entries.Select(e => e["method"]!.GetValue<string>()));
        Assert.Equal($"/v1/website/{websiteId}/people/profile", entries[0]["path"]!.GetValue<string>());
        Assert.Equal("j@example.com", JsonNode.Parse(entries[0]["body"]!.GetValue<string>())!["email"]!.GetValue<string>());
        Assert.Equal("?search_text=j", entries[2]["query"]!.GetValue<string>());
        var sequences = entries.Select(e => e["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.All(entries, e => Assert.Equal(websiteId, e["website_id"]!.GetValue<string>()));

        var refused = Assert.Single(host.State.GetJournal(uninstalled));
        Assert.Equal(404, refused.Status);
        Assert.Equal("not_subscribed", refused.Reason);
    }

    [Fact]
    public async Task Journal_Delete_ClearsEntries()
    {
        using var client = host.Plugin();
        using var admin = host.Admin();
        await client.GetAsync("v1/plugin/connect/account");
        Assert.NotEmpty(host.State.GetJournal());

        var cleared = await admin.SendAsync(HttpMethod.Delete, "_sim/journal");

        Assert.Equal(200, cleared.Status);
        Assert.Empty((await admin.GetAsync("_sim/journal")).DataArray);
    }
}
