namespace IntegrationHub.Crisp.Tests.Contract;

/// <summary>
/// In-process: a simulator with a small page size, so paging until the empty page crosses several pages. An external
/// simulator keeps its own page size (the default, see <see cref="CrispSimulatorFixture.Options"/>) and holds every
/// class's websites; the class runs alone there because it pages over all websites and reads the unfiltered journal.
/// </summary>
public sealed class SmallPageSimulatorFixture : CrispSimulatorFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Simulator:DefaultPerPage"] = "5" };

    protected override bool NeedsWholeSimulator => true;
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

        // Every installed website, in creation order: ours alone in-process, everybody's on a shared simulator.
        var expected = await sim.InstalledWebsiteIdsAsync();
        var mark = await sim.JournalSequenceAsync();
        var listed = new List<string>();
        await foreach (var website in sim.Client.Plugin.ListAllWebsitesAsync())
        {
            listed.Add(website.WebsiteId);
        }

        Assert.Equal(expected, listed);
        Assert.Subset(listed.ToHashSet(), installed.ToHashSet());
        // Full pages, the partial one, then the empty page that ends the listing (12 websites by 5: pages 1 to 4).
        var perPage = sim.Options.DefaultPerPage;
        var pageCount = ((listed.Count + perPage - 1) / perPage) + 1;
        var pages = (await sim.JournalAsync(afterSequence: mark)).Select(e => e.Path).ToList();
        Assert.Equal(Enumerable.Range(1, pageCount).Select(p => $"/v1/plugin/connect/websites/all/{p}"), pages);
    }

    [Fact]
    public async Task PeopleEvents_PageByPage()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        var peopleId = await sim.Client.People.AddProfileAsync(websiteId, new CrispPeopleProfileInput { Email = "pager@example.com" });
        var perPage = sim.Options.DefaultPerPage;
        for (var i = 0; i < perPage + 2; i++)
        {
            await sim.Client.People.AddEventAsync(websiteId, peopleId, new CrispPeopleEventInput($"event {i}"));
        }

        Assert.Equal(perPage, (await sim.Client.People.ListEventsAsync(websiteId, peopleId, 1)).Count);
        Assert.Equal(2, (await sim.Client.People.ListEventsAsync(websiteId, peopleId, 2)).Count);
        Assert.Empty(await sim.Client.People.ListEventsAsync(websiteId, peopleId, 3));
    }
}
