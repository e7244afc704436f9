using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IntegrationHub.CrispSimulator.Tests.Infrastructure;

/// <summary>A host with one extra route that throws, to prove the pipeline's safety net.</summary>
public sealed class ThrowingSimulatorHost : SimulatorHost
{
    protected override void MapExtra(WebApplication app) =>
        new CrispRoutes(app, "").Get("/boom", CrispRoutes.AnyTier, _ => throw new InvalidOperationException("bug"));
}

public sealed class SafetyNetTests(ThrowingSimulatorHost host) : IClassFixture<ThrowingSimulatorHost>
{
    [Fact]
    public async Task Pipeline_HandlerThrowsUnexpectedly_Returns500InternalErrorEnvelopeAndJournalsIt()
    {
        using var client = host.Plugin();

        var response = await client.GetAsync("v1/boom");

        Assert.Equal(500, response.Status);
        Assert.True(response.Error);
        Assert.Equal("internal_error", response.Reason);
        Assert.Contains(host.State.GetJournal(), e => e.Path == "/v1/boom" && e.Status == 500);
    }

    [Fact]
    public async Task Pipeline_AfterUnexpectedException_KeepsServing()
    {
        using var client = host.Plugin();
        await client.GetAsync("v1/boom");
        Assert.Equal(200, (await client.GetAsync("v1/plugin/connect/account")).Status);
    }
}

public sealed class StandaloneHostTests
{
    [Fact]
    public async Task BuildApp_StandaloneOnLoopback_ServesRootRestAndAdmin()
    {
        await using var app = SimulatorProgram.BuildApp(["--urls", "http://127.0.0.1:0", "--Simulator:PluginKey=custom-key"]);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        using var plugin = new SimClient(new HttpClient { BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/") });
        plugin.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SimulatorHost.PluginIdentifier + ":custom-key")));
        plugin.Http.DefaultRequestHeaders.Add("X-Crisp-Tier", "plugin");

        var root = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        var account = await plugin.GetAsync("v1/plugin/connect/account");
        var websites = await plugin.GetAsync("_sim/websites");

        Assert.Contains("Crisp simulator", root, StringComparison.Ordinal);
        Assert.Equal(200, account.Status);
        Assert.Equal(206, websites.Status);
        await app.StopAsync();
    }

    [Fact]
    public async Task WebApplicationFactory_OfSimulatorProgram_ServesRestApi()
    {
        await using var factory = new WebApplicationFactory<SimulatorProgram>();
        using var http = factory.CreateClient();
        using var client = new SimClient(http);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SimulatorHost.PluginIdentifier + ":" + SimulatorHost.PluginKey)));
        http.DefaultRequestHeaders.Add("X-Crisp-Tier", "plugin");

        var response = await client.GetAsync("v1/plugin/connect/account");

        Assert.Equal(200, response.Status);
        Assert.Equal("resolved", response.Reason);
    }
}
