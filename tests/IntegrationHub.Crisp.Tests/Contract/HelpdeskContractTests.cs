namespace IntegrationHub.Crisp.Tests.Contract;

public sealed class HelpdeskContractTests(CrispSimulatorFixture sim) : IClassFixture<CrispSimulatorFixture>
{
    private const CrispHelpdeskContentType Articles = CrispHelpdeskContentType.Articles;

    private CrispHelpdeskApi Helpdesk => sim.Client.Helpdesk;

    [Fact]
    public async Task Locales_ListAndAdd()
    {
        var websiteId = await sim.InstallWebsiteAsync();

        var initial = await Helpdesk.ListLocalesAsync(websiteId, 1);
        Assert.Contains(initial, l => l.Locale == sim.Options.DefaultHelpdeskLocale);

        await Helpdesk.AddLocaleAsync(websiteId, "fr");

        var locales = await Helpdesk.ListLocalesAsync(websiteId, 1);
        Assert.Contains(locales, l => l.Locale == "fr");
        Assert.Equal(initial.Count + 1, locales.Count);
        Assert.Empty(await Helpdesk.ListLocalesAsync(websiteId, 2));
    }

    [Fact]
    public async Task PagesHistoryAndRefresh_RoutesOfTheTreeApiDocument()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        const string path = "orders/returns.md";
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "orders");
        await Helpdesk.SaveContentAsync(websiteId, "en", Articles, path, "Send it back.");
        await Helpdesk.UpdateMetadataAsync(websiteId, "en", Articles, path, new CrispHelpdeskMetadata { Title = "Returns", State = new CrispHelpdeskState { Published = true } });

        var page = Assert.Single(await Helpdesk.ListPagesAsync(websiteId, "en", Articles, 1));
        Assert.Equal((path, "Returns"), (page.TreePath, page.Title));
        Assert.Equal(page.Url, (await Helpdesk.GetPageByEntityAsync(websiteId, "en", Articles, page.EntityId!)).Url);

        var changes = await Helpdesk.ListChangesAsync(websiteId, 1, "en", Articles, path);
        Assert.Equal(2, changes.Count);
        Assert.Equal(changes[0].ChangeId, (await Helpdesk.GetChangeAsync(websiteId, changes[0].ChangeId)).ChangeId);
        await Helpdesk.CancelChangeAsync(websiteId, changes[0].ChangeId, "cancel");
        Assert.Single(await Helpdesk.ListChangesAsync(websiteId, 1, treePath: path));

        await Helpdesk.RefreshAsync(websiteId, "en", Articles);
    }

    [Fact]
    public async Task Article_CreateWriteContentMetadataPage()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        const string path = "orders/delivery/shipping-policy.md";

        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "orders");
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "orders/delivery");
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, path);
        await Helpdesk.SaveContentAsync(websiteId, "en", Articles, path, "# Shipping\n\nWe ship **worldwide**.");
        await Helpdesk.UpdateMetadataAsync(websiteId, "en", Articles, path, new CrispHelpdeskMetadata
        {
            Title = "Shipping policy",
            Description = "How we ship",
            State = new CrispHelpdeskState { Published = true, Featured = true },
        });

        var node = await Helpdesk.ResolvePathAsync(websiteId, "en", Articles, path);
        Assert.Equal("shipping-policy.md", node.Slug);
        Assert.Equal(sim.Options.KbFileType, node.Type);
        Assert.Equal("Shipping policy", node.Title);
        Assert.True(node.State!.Published);

        Assert.Equal("# Shipping\n\nWe ship **worldwide**.", await Helpdesk.GetContentAsync(websiteId, "en", Articles, path));

        var metadata = await Helpdesk.GetMetadataAsync(websiteId, "en", Articles, path);
        Assert.Equal("Shipping policy", metadata.Title);
        Assert.Equal("How we ship", metadata.Description);
        Assert.True(metadata.State!.Published);
        Assert.True(metadata.State.Featured);
        Assert.False(metadata.State.Hidden);

        var page = await Helpdesk.GetPageAsync(websiteId, "en", Articles, path);
        Assert.Equal("Shipping policy", page.Title);
        Assert.StartsWith("https://", page.Url, StringComparison.Ordinal);
        Assert.Contains("shipping-policy", page.Url, StringComparison.Ordinal);

        var journal = await sim.JournalAsync(websiteId);
        Assert.Contains(journal, e => e.Method == "PUT" && e.Path.EndsWith("/tree/content/en/articles/orders/delivery/shipping-policy.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tree_ListSubPathAndSearchTitle()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "billing");
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "billing/invoices.md");
        await Helpdesk.UpdateMetadataAsync(websiteId, "en", Articles, "billing/invoices.md", new CrispHelpdeskMetadata { Title = "Download invoices" });
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "welcome.md");

        var top = await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1);
        var billing = Assert.Single(top, e => e.Slug == "billing");
        Assert.Equal(sim.Options.KbFolderType, billing.Type);
        Assert.Equal("invoices.md", Assert.Single(billing.Children!).Slug);
        Assert.Contains(top, e => e.Slug == "welcome.md");
        Assert.Empty(await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 2));

        var below = await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1, subPath: "billing");
        Assert.Equal("invoices.md", Assert.Single(below).Slug);

        var searched = await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1, searchTitle: "invoices");
        Assert.Equal("billing", Assert.Single(searched).Slug);

        Assert.Empty(await Helpdesk.ListTreeAsync(websiteId, "en", CrispHelpdeskContentType.Guides, 1));

        // filter_date_start/end (on the entry's update time) are sent as ISO-8601 query values.
        Assert.NotEmpty(await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1, filterDateStart: DateTimeOffset.UtcNow.AddYears(-50)));
        Assert.Empty(await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1, filterDateEnd: DateTimeOffset.UnixEpoch.AddDays(1)));
    }

    [Fact]
    public async Task Path_MoveRenameReorderDelete()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "faq");
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "faq/a.md");
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "faq/b.md");
        await Helpdesk.CreatePathAsync(websiteId, "en", Articles, "archive");

        await Helpdesk.ReorderPathAsync(websiteId, "en", Articles, "faq/b.md", 0);
        var order = (await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1, subPath: "faq")).Select(e => e.Slug).ToList();
        Assert.Equal(["b.md", "a.md"], order);

        await Helpdesk.MovePathAsync(websiteId, "en", Articles, "faq/a.md", "archive/a-old.md");
        Assert.Equal("a-old.md", (await Helpdesk.ResolvePathAsync(websiteId, "en", Articles, "archive/a-old.md")).Slug);
        var moved = await Assert.ThrowsAsync<CrispApiException>(() => Helpdesk.ResolvePathAsync(websiteId, "en", Articles, "faq/a.md"));
        Assert.Equal(404, moved.StatusCode);

        await Helpdesk.UpdatePathAsync(websiteId, "en", Articles, "faq/b.md",
            new CrispHelpdeskPathChange { Action = "rename", Path = new CrispHelpdeskPathTarget("faq/b-renamed.md") });
        Assert.Equal("b-renamed.md", Assert.Single(await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1, subPath: "faq")).Slug);

        await Helpdesk.DeletePathAsync(websiteId, "en", Articles, "faq/b-renamed.md");
        Assert.Empty(await Helpdesk.ListTreeAsync(websiteId, "en", Articles, 1, subPath: "faq"));
        var deleted = await Assert.ThrowsAsync<CrispApiException>(() => Helpdesk.GetContentAsync(websiteId, "en", Articles, "faq/b-renamed.md"));
        Assert.Equal(404, deleted.StatusCode);
    }

    [Fact]
    public async Task CreatePath_Existing_Conflict()
    {
        var websiteId = await sim.InstallWebsiteAsync();
        await Helpdesk.CreatePathAsync(websiteId, "en", CrispHelpdeskContentType.News, "launch.md");

        var ex = await Assert.ThrowsAsync<CrispApiException>(() => Helpdesk.CreatePathAsync(websiteId, "en", CrispHelpdeskContentType.News, "launch.md"));

        Assert.Equal(409, ex.StatusCode);
        Assert.Equal("path_exists", ex.Reason);
    }

    [Fact]
    public void HelpdeskApi_HasNoLegacyArticleCategoryOrSectionWrites()
    {
        // Legacy writes answer website_cannot_write_to_legacy_helpdesk; the client cannot even send one.
        var names = typeof(CrispHelpdeskApi).GetMethods().Select(m => m.Name).ToList();

        Assert.DoesNotContain(names, n => n.Contains("Article", StringComparison.Ordinal)
            || n.Contains("Category", StringComparison.Ordinal)
            || n.Contains("Section", StringComparison.Ordinal)
            || n.Contains("Publish", StringComparison.Ordinal));
    }
}
