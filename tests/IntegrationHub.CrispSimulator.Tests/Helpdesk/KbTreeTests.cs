using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Helpdesk;

public sealed class KbTreeTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    private async Task<(SimClient Client, string Root)> HelpdeskAsync()
    {
        var websiteId = await host.InstallWebsiteAsync();
        return (host.Plugin(), $"v1/website/{websiteId}/helpdesk");
    }

    private static string Tree(string root, string kind, string path) => $"{root}/tree/{kind}/en/articles/{path}";

    [Fact]
    public async Task TreePath_CreateFolderAndFile_ResolvesWithTypesAndChildren()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;

        var folder = await client.SendRawAsync(HttpMethod.Post, Tree(root, "path", "orders"), "null");
        var file = await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders/shipping-policy.md"));
        var duplicate = await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders/shipping-policy.md"));
        var orphan = await client.SendAsync(HttpMethod.Post, Tree(root, "path", "missing/child.md"));

        Assert.Equal(201, folder.Status);
        Assert.Equal("added", folder.Reason);
        Assert.Equal(201, file.Status);
        Assert.Equal(409, duplicate.Status);
        Assert.Equal(404, orphan.Status);

        var resolved = await client.GetAsync(Tree(root, "path", "orders"));
        Assert.Equal(200, resolved.Status);
        Assert.Equal(host.Options.KbFolderType, resolved.Data!["type"]!.GetValue<string>());
        Assert.Equal("orders", resolved.Data!["slug"]!.GetValue<string>());
        var child = Assert.Single(resolved.Data!["children"]!.AsArray())!;
        Assert.Equal(host.Options.KbFileType, child["type"]!.GetValue<string>());
        Assert.Equal("shipping-policy.md", child["slug"]!.GetValue<string>());
        Assert.False(child["state"]!["published"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TreeContent_PutThenGet_RoundTripsMarkdownAndCreatesMissingFile()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "faq"));

        var created = await client.SendAsync(HttpMethod.Put, Tree(root, "content", "faq/returns.md"), new { content = "# Returns\n**30 days**" });
        var updated = await client.SendAsync(HttpMethod.Put, Tree(root, "content", "faq/returns.md"), new { content = "# Returns\n**60 days**" });
        var content = await client.GetAsync(Tree(root, "content", "faq/returns.md"));

        Assert.Equal(201, created.Status);
        Assert.Equal(200, updated.Status);
        Assert.Equal("updated", updated.Reason);
        Assert.Equal("# Returns\n**60 days**", content.Data!["content"]!.GetValue<string>());
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Put, Tree(root, "content", "faq/returns.md"), new { content = 5 })).Status);
        Assert.Equal(404, (await client.GetAsync(Tree(root, "content", "faq/none.md"))).Status);
    }

    [Fact]
    public async Task TreeMetadata_Patch_MergesStateAndKeepsOtherFields()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "doc.md"));

        var first = await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "doc.md"), new { title = "Doc", description = "About", state = new { published = true } });
        var second = await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "doc.md"), new { state = new { featured = true } });
        var metadata = (await client.GetAsync(Tree(root, "metadata", "doc.md"))).Data!;

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal("Doc", metadata["title"]!.GetValue<string>());
        Assert.Equal("About", metadata["description"]!.GetValue<string>());
        Assert.True(metadata["state"]!["published"]!.GetValue<bool>());
        Assert.True(metadata["state"]!["featured"]!.GetValue<bool>());
        Assert.False(metadata["state"]!["hidden"]!.GetValue<bool>());

        Assert.Equal(400, (await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "doc.md"), new { color = "blue" })).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "doc.md"), new { state = new { published = "yes" } })).Status);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "doc.md"), new { color = "#377FEA" })).Status);
    }

    [Fact]
    public async Task TreePath_PatchMove_RenamesMovesAndReorders()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        foreach (var path in new[] { "a", "b", "a/one.md", "a/two.md", "a/three.md" })
        {
            Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, Tree(root, "path", path))).Status);
        }

        var rename = await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "a/one.md"), new { action = "move", path = new { to = "a/first.md" } });
        var move = await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "a/two.md"), new { action = "move", path = new { to = "b/two.md" } });
        var reorder = await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "a/three.md"), new { action = "move", position = 0 });

        Assert.Equal(200, rename.Status);
        Assert.Equal(200, move.Status);
        Assert.Equal(200, reorder.Status);
        var a = (await client.GetAsync(Tree(root, "path", "a"))).Data!["children"]!.AsArray();
        Assert.Equal(["three.md", "first.md"], a.Select(c => c!["slug"]!.GetValue<string>()));
        Assert.Equal(200, (await client.GetAsync(Tree(root, "path", "b/two.md"))).Status);
        Assert.Equal(404, (await client.GetAsync(Tree(root, "path", "a/two.md"))).Status);

        Assert.Equal(409, (await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "a/first.md"), new { action = "move", path = new { to = "a/three.md" } })).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "a"), new { action = "move", path = new { to = "a/inner" } })).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "a"), new { action = "teleport", position = 1 })).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "a"), new { path = new { to = "c" } })).Status);
    }

    [Fact]
    public async Task TreePath_DeeperThanCategorySectionFile_Returns400InvalidData()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        foreach (var path in new[] { "orders", "orders/delivery", "orders/delivery/shipping-policy.md", "billing", "billing/cards" })
        {
            Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, Tree(root, "path", path))).Status);
        }

        var deepFolder = await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders/delivery/express"));
        var deepFile = await client.SendAsync(HttpMethod.Put, Tree(root, "content", "orders/delivery/express/fast.md"), new { content = "x" });
        var sectionIntoSection = await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "orders/delivery"), new { action = "move", path = new { to = "billing/cards/delivery" } });
        var sectionToCategory = await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "orders/delivery"), new { action = "move", path = new { to = "delivery" } });
        var categoryIntoCategory = await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "delivery"), new { action = "move", path = new { to = "billing/delivery" } });

        Assert.Equal(400, deepFolder.Status);
        Assert.Equal("invalid_data", deepFolder.Reason);
        Assert.Equal(400, deepFile.Status);
        Assert.Equal(400, sectionIntoSection.Status);
        Assert.Equal(200, sectionToCategory.Status);
        Assert.Equal(200, categoryIntoCategory.Status);
        Assert.Equal(200, (await client.GetAsync(Tree(root, "path", "billing/delivery/shipping-policy.md"))).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "billing"), new { action = "move", path = new { to = "orders/billing" } })).Status);
    }

    [Fact]
    public async Task History_TreeWritesListedNewestFirst_FilteredGotAndCancelled_RefreshAnswers()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders"));
        await client.SendAsync(HttpMethod.Put, Tree(root, "content", "orders/shipping.md"), new { content = "one\ntwo" });
        await client.SendAsync(HttpMethod.Put, Tree(root, "content", "orders/shipping.md"), new { content = "one\nthree\nfour" });
        await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "orders/shipping.md"), new { title = "Shipping" });
        await client.SendAsync(HttpMethod.Patch, Tree(root, "path", "orders/shipping.md"), new { action = "move", path = new { to = "orders/delivery.md" } });
        await client.SendAsync(HttpMethod.Post, $"{root}/tree/path/en/guides/setup");

        var all = await client.GetAsync($"{root}/history/changes/1");
        var articles = await client.GetAsync($"{root}/history/changes/1?filter_locale=en&filter_type=articles&filter_tree_path=orders/delivery.md");

        Assert.Equal(206, all.Status);
        var changes = all.Data!.AsArray();
        Assert.Equal(6, changes.Count);
        Assert.Equal("setup", changes[0]!["files"]![0]!["path"]!.GetValue<string>());
        var edit = changes[3]!;
        Assert.Equal("modified", edit["files"]![0]!["change"]!.GetValue<string>());
        Assert.Equal("one\nthree\nfour", edit["files"]![0]!["content"]!.GetValue<string>());
        Assert.Equal((2, 1), (edit["edits"]!["insertions"]!.GetValue<int>(), edit["edits"]!["deletions"]!.GetValue<int>()));
        var moved = Assert.Single(articles.Data!.AsArray())!;
        Assert.Equal("moved", moved["files"]![0]!["change"]!.GetValue<string>());

        var id = moved["change_id"]!.GetValue<string>();
        Assert.Equal(200, (await client.GetAsync($"{root}/history/change/{id}")).Status);
        Assert.Equal(400, (await client.SendAsync(HttpMethod.Delete, $"{root}/history/change/{id}", new { })).Status);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Delete, $"{root}/history/change/{id}", new { action = "cancel" })).Status);
        Assert.Equal(404, (await client.GetAsync($"{root}/history/change/{id}")).Status);
        Assert.Equal(200, (await client.SendRawAsync(HttpMethod.Post, $"{root}/refresh/en/articles", "null")).Status);
        Assert.Equal(400, (await client.SendRawAsync(HttpMethod.Post, $"{root}/refresh/en/blog", "null")).Status);
        Assert.Equal(404, (await client.SendRawAsync(HttpMethod.Post, $"{root}/refresh/de/articles", "null")).Status);
    }

    [Fact]
    public async Task TreePath_DeleteFolder_RemovesSubtree()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "old"));
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "old/page.md"));

        var deleted = await client.SendAsync(HttpMethod.Delete, Tree(root, "path", "old"));

        Assert.Equal(200, deleted.Status);
        Assert.Equal("deleted", deleted.Reason);
        Assert.Equal(404, (await client.GetAsync(Tree(root, "path", "old/page.md"))).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Delete, Tree(root, "path", "old"))).Status);
    }

    [Fact]
    public async Task TreeList_WithSubPathSearchTitleAndPaging_ReturnsMatchingEntries()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders"));
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders/delivery"));
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders/delivery/shipping-policy.md"));
        await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "orders/delivery/shipping-policy.md"), new { title = "Shipping policy" });
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "orders/refunds.md"));
        for (var i = 0; i < 21; i++)
        {
            await client.SendAsync(HttpMethod.Post, Tree(root, "path", $"topic-{i:00}"));
        }

        var page1 = await client.GetAsync($"{root}/tree/list/en/articles/1");
        var page2 = await client.GetAsync($"{root}/tree/list/en/articles/2");
        var page3 = await client.GetAsync($"{root}/tree/list/en/articles/3");
        Assert.Equal(206, page1.Status);
        Assert.Equal(20, page1.DataArray.Count);
        Assert.Equal(2, page2.DataArray.Count);
        Assert.Empty(page3.DataArray);
        var orders = page1.DataArray.Single(e => e!["slug"]!.GetValue<string>() == "orders")!;
        Assert.Equal("shipping-policy.md", orders["children"]![0]!["children"]![0]!["slug"]!.GetValue<string>());

        var sub = await client.GetAsync($"{root}/tree/list/en/articles/1?sub_path=orders/delivery");
        Assert.Equal("shipping-policy.md", Assert.Single(sub.DataArray)!["slug"]!.GetValue<string>());

        var search = await client.GetAsync($"{root}/tree/list/en/articles/1?search_title=shipping");
        var found = Assert.Single(search.DataArray)!;
        Assert.Equal("orders", found["slug"]!.GetValue<string>());
        var delivery = Assert.Single(found["children"]!.AsArray())!;
        Assert.Equal("Shipping policy", Assert.Single(delivery["children"]!.AsArray())!["title"]!.GetValue<string>());

        Assert.Equal(404, (await client.GetAsync($"{root}/tree/list/en/articles/1?sub_path=nope")).Status);
        Assert.Equal(400, (await client.GetAsync($"{root}/tree/list/en/blogs/1")).Status);
        Assert.Equal(404, (await client.GetAsync($"{root}/tree/list/xx/articles/1")).Status);
    }

    [Fact]
    public async Task TreePage_PublishedFile_AppearsInPageListWithTreePath()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        await client.SendAsync(HttpMethod.Put, Tree(root, "content", "hello.md"), new { content = "Hi" });
        await client.SendAsync(HttpMethod.Patch, Tree(root, "metadata", "hello.md"), new { title = "Hello", state = new { published = true } });

        var page = await client.GetAsync(Tree(root, "page", "hello.md"));
        var list = await client.GetAsync($"{root}/page/list/en/articles/1");

        Assert.Equal("Hello", page.Data!["title"]!.GetValue<string>());
        Assert.StartsWith("https://", page.Data!["url"]!.GetValue<string>(), StringComparison.Ordinal);
        var entry = Assert.Single(list.DataArray)!;
        Assert.Equal("hello.md", entry["tree_path"]!.GetValue<string>());
        var byEntity = await client.GetAsync($"{root}/page/entity/en/articles/{entry["entity_id"]!.GetValue<string>()}");
        Assert.Equal(200, byEntity.Status);
    }

    [Theory]
    [InlineData("../etc.md")]
    [InlineData("a.md/b.md")]
    [InlineData("sp ace.md")]
    [InlineData(".hidden")]
    public async Task TreePath_WithInvalidPath_Returns400InvalidData(string path)
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        var response = await client.SendAsync(HttpMethod.Post, $"{root}/tree/path/en/articles/{path.Replace(" ", "%20", StringComparison.Ordinal)}");
        Assert.Contains(response.Status, new[] { 400, 404 });
        Assert.NotEqual(500, response.Status);
        Assert.True(response.Error);
    }

    [Fact]
    public async Task Locales_AddListGetDelete_FollowsEnvelopeCodes()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        var added = await client.SendAsync(HttpMethod.Post, root + "/locale", new { locale = "fr" });
        var again = await client.SendAsync(HttpMethod.Post, root + "/locale", new { locale = "fr" });
        var bad = await client.SendAsync(HttpMethod.Post, root + "/locale", new { locale = "French" });
        var list = await client.GetAsync(root + "/locales/1");
        var head = await client.SendAsync(HttpMethod.Head, root + "/locale/fr");
        var helpdesk = await client.GetAsync(root);

        Assert.Equal(201, added.Status);
        Assert.Equal(409, again.Status);
        Assert.Equal(400, bad.Status);
        Assert.Equal(["en", "fr"], list.DataArray.Select(l => l!["locale"]!.GetValue<string>()));
        Assert.NotNull(list.DataArray[0]!["statistics"]!["articles"]!["entries"]);
        Assert.Equal(200, head.Status);
        Assert.Equal(200, helpdesk.Status);
        Assert.NotNull(helpdesk.Data!["url"]);
        Assert.Equal(200, (await client.SendAsync(HttpMethod.Delete, root + "/locale/fr")).Status);
        Assert.Equal(404, (await client.SendAsync(HttpMethod.Head, root + "/locale/fr")).Status);
    }

    [Fact]
    public async Task HelpdeskRoot_Delete_RemovesTheKnowledgeBaseUntilInitializedAgain()
    {
        var (client, root) = await HelpdeskAsync();
        using var _ = client;
        await client.SendAsync(HttpMethod.Post, Tree(root, "path", "faq"));

        var deleted = await client.SendAsync(HttpMethod.Delete, root);

        Assert.Equal(200, deleted.Status);
        var gone = await client.GetAsync(root);
        Assert.Equal(404, gone.Status);
        Assert.Equal("helpdesk_not_found", gone.Reason);
        Assert.Equal(201, (await client.SendAsync(HttpMethod.Post, root, new { name = "Again", domain_basic = "again" })).Status);
        Assert.Equal(200, (await client.GetAsync(root)).Status);
    }
}
