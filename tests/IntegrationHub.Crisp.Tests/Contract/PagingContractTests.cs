namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>A simulator with a small page size, so paging until the empty page crosses several pages.</summary>
public sealed class SmallPageSimulatorFixture : CrispSimulatorFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Simulator:DefaultPerPage"] = "5" };
}

public sealed class PagingContractTests(SmallPageSimulatorFixture sim) : IClassFixture<SmallPageSimulatorFixture>
{
    [Fact]
    public async Task ListAllWebsites_PagesUntilTheEmptyPage()
    {
        var installed = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            installed.Add(await sim.InstallWebsiteAsync());
        }

        sim.State.ClearJournal();
        var listed = new List<string>();
        await foreach (var website in sim.Client.Plugin.ListAllWebsitesAsync())
        {
            listed.Add(website.WebsiteId);
        }

        Assert.Equal(installed.Order(), listed.Order());
        var pages = sim.Journal().Select(e => e.Path).ToList();
        Assert.Equal(
            ["/v1/plugin/connect/websites/all/1", "/v1/plugin/connect/websites/all/2", "/v1/plugin/connect/websites/all/3", "/v1/plugin/connect/websites/all/4"],
            pages);
    }

    [Fact]
    public async Task PeopleEvents_PageByPage()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var peopleId = await sim.Client.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "pager@example.com" });
        for (var i = 0; i < 7; i++)
        {
            await sim.Client.People.AddEventAsync(websiteId, peopleId, new CrispPeopleEventInput($"event {i}"));
        }

        Assert.Equal(5, (await sim.Client.People.ListEventsAsync(websiteId, peopleId, 1)).Count);
        Assert.Equal(2, (await sim.Client.People.ListEventsAsync(websiteId, peopleId, 2)).Count);
        Assert.Empty(await sim.Client.People.ListEventsAsync(websiteId, peopleId, 3));
    }
}
