using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Plugin;

public sealed class AuthTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Fact]
    public async Task Request_WithoutCredentials_Returns401InvalidSession()
    {
        using var client = host.Client(null, null, "plugin");
        var response = await client.GetAsync("v1/plugin/connect/account");
        Assert.Equal(401, response.Status);
        Assert.True(response.Error);
        Assert.Equal("invalid_session", response.Reason);
    }

    [Theory]
    [InlineData(SimulatorHost.PluginIdentifier, "wrong-key", "plugin")]
    [InlineData("wrong-identifier", SimulatorHost.PluginKey, "plugin")]
    [InlineData(SimulatorHost.PluginIdentifier, SimulatorHost.PluginKey, null)]
    [InlineData(SimulatorHost.PluginIdentifier, SimulatorHost.PluginKey, "user")]
    [InlineData(SimulatorHost.PluginIdentifier, SimulatorHost.PluginKey, "website")]
    public async Task Request_WithWrongCredentialsOrTier_Returns401InvalidSession(string identifier, string key, string? tier)
    {
        using var client = host.Client(identifier, key, tier);
        var response = await client.GetAsync("v1/plugin/connect/account");
        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_session", response.Reason);
        Assert.NotNull(response.Data);
    }

    [Fact]
    public async Task Request_WithMalformedBasicHeader_Returns401InvalidSession()
    {
        using var client = host.Client(null, null, "plugin");
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Basic !!!not-base64!!!");
        var response = await client.GetAsync("v1/plugin/connect/account");
        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_session", response.Reason);
    }

    [Fact]
    public async Task ConnectAccount_WithPluginKeypair_ReturnsPluginId()
    {
        using var client = host.Plugin();
        var response = await client.GetAsync("v1/plugin/connect/account");
        Assert.Equal(200, response.Status);
        Assert.Equal("resolved", response.Reason);
        Assert.False(response.Error);
        Assert.Equal(host.Options.PluginId, response.Data!["plugin_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task HeadSession_WithValidAndInvalidKeypair_Returns200And401WithEmptyBody()
    {
        using var good = host.Plugin();
        using var bad = host.Client("nope", "nope", "plugin");
        var ok = await good.SendAsync(HttpMethod.Head, "v1/plugin/connect/session");
        var refused = await bad.SendAsync(HttpMethod.Head, "v1/plugin/connect/session");
        Assert.Equal(200, ok.Status);
        Assert.Equal("", ok.Text);
        Assert.Equal(401, refused.Status);
        Assert.Equal("", refused.Text);
    }

    [Theory]
    [InlineData("POST", "v1/plugins/subscription/{0}")]
    [InlineData("DELETE", "v1/plugins/subscription/{0}/{1}")]
    [InlineData("GET", "v1/plugins/subscription")]
    public async Task UserTierRoute_WithPluginToken_Returns403RestrictedRouteTier(string method, string pattern)
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, websiteId, host.Options.PluginId);
        var response = await client.SendAsync(new HttpMethod(method), path, method == "POST" ? new { plugin_id = host.Options.PluginId } : null);
        Assert.Equal(403, response.Status);
        Assert.Equal("restricted_route_tier", response.Reason);
    }

    [Fact]
    public async Task WebsiteRoute_OnUnknownWebsite_Returns404NotSubscribed()
    {
        using var client = host.Plugin();
        var response = await client.GetAsync($"v1/website/{Guid.NewGuid()}/people/profiles/1");
        Assert.Equal(404, response.Status);
        Assert.Equal("not_subscribed", response.Reason);
    }

    [Fact]
    public async Task WebsiteRoute_AfterUninstall_Returns404NotSubscribed()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        using var admin = host.Admin();
        Assert.Equal(206, (await client.GetAsync($"v1/website/{websiteId}/people/profiles/1")).Status);

        Assert.Equal(200, (await admin.SendAsync(HttpMethod.Delete, $"_sim/websites/{websiteId}")).Status);

        var response = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");
        Assert.Equal(404, response.Status);
        Assert.Equal("not_subscribed", response.Reason);
    }

    [Fact]
    public async Task WebsiteToken_OnItsWebsite_IsAcceptedAndRefusedElsewhere()
    {
        var websiteId = await host.InstallWebsiteAsync();
        var otherId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        var minted = await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/website-token");
        Assert.Equal(201, minted.Status);
        using var client = host.Client(minted.Data!["identifier"]!.GetValue<string>(), minted.Data!["key"]!.GetValue<string>(), "website");

        var own = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");
        var other = await client.GetAsync($"v1/website/{otherId}/people/profiles/1");
        var pluginRoute = await client.GetAsync("v1/plugin/connect/account");

        Assert.Equal(206, own.Status);
        Assert.Equal(403, other.Status);
        Assert.Equal("not_allowed", other.Reason);
        Assert.Equal(403, pluginRoute.Status);
        Assert.Equal("restricted_route_tier", pluginRoute.Reason);
    }

    [Fact]
    public async Task WebsiteToken_WithPluginTierHeader_Returns401()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var admin = host.Admin();
        var minted = await admin.SendAsync(HttpMethod.Post, $"_sim/websites/{websiteId}/website-token");
        using var client = host.Client(minted.Data!["identifier"]!.GetValue<string>(), minted.Data!["key"]!.GetValue<string>(), "plugin");
        var response = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");
        Assert.Equal(401, response.Status);
        Assert.Equal("invalid_session", response.Reason);
    }

    [Fact]
    public async Task UnknownRoute_Authenticated_Returns404NotFoundEnvelope()
    {
        using var client = host.Plugin();
        var response = await client.GetAsync("v1/does/not/exist");
        Assert.Equal(404, response.Status);
        Assert.Equal("not_found", response.Reason);
        Assert.True(response.Error);
    }
}
