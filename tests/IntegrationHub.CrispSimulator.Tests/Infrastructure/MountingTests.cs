using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Infrastructure;

/// <summary>The hub mounts the simulator under <c>/crisp-sim</c>: REST under /crisp-sim/v1, admin under /crisp-sim/_sim.</summary>
public sealed class MountingTests(PrefixedSimulatorHost host) : IClassFixture<PrefixedSimulatorHost>
{
    [Fact]
    public async Task MapCrispSimulator_WithPrefix_ServesRestAndAdminUnderPrefix()
    {
        Assert.EndsWith("/crisp-sim/", host.BaseAddress.ToString(), StringComparison.Ordinal);
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();

        var account = await client.GetAsync("v1/plugin/connect/account");
        var people = await client.GetAsync($"v1/website/{websiteId}/people/profiles/1");

        Assert.Equal(200, account.Status);
        Assert.Equal(206, people.Status);
        var entry = host.State.GetJournal(websiteId).Single();
        Assert.Equal($"/v1/website/{websiteId}/people/profiles/1", entry.Path);
    }

    [Fact]
    public async Task MapCrispSimulator_WithPrefix_DoesNotAnswerAtRoot()
    {
        using var root = new HttpClient { BaseAddress = new Uri(host.BaseAddress.GetLeftPart(UriPartial.Authority)) };
        using var response = await root.GetAsync(new Uri("/v1/plugin/connect/account", UriKind.Relative));
        Assert.Equal(404, (int)response.StatusCode);
    }
}
