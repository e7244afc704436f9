using IntegrationHub.CrispSimulator.Tests.Support;

namespace IntegrationHub.CrispSimulator.Tests.Helpdesk;

public sealed class LegacyHelpdeskTests(SimulatorHost host) : IClassFixture<SimulatorHost>
{
    [Theory]
    [InlineData("POST", "/locale/en/article", "{\"title\":\"New\"}")]
    [InlineData("PUT", "/locale/en/article/{0}", "{\"title\":\"T\",\"content\":\"c\"}")]
    [InlineData("PATCH", "/locale/en/article/{0}", "{\"content\":\"c\"}")]
    [InlineData("DELETE", "/locale/en/article/{0}", null)]
    [InlineData("POST", "/locale/en/article/{0}/publish", null)]
    [InlineData("POST", "/locale/en/article/{0}/unpublish", null)]
    [InlineData("PATCH", "/locale/en/article/{0}/category", "{\"category_id\":\"x\"}")]
    [InlineData("POST", "/locale/en/category", "{\"name\":\"Cat\"}")]
    [InlineData("PATCH", "/locale/en/category/{0}", "{\"name\":\"Cat\"}")]
    [InlineData("POST", "/locale/en/category/{0}/section", "{\"name\":\"Sec\"}")]
    [InlineData("DELETE", "/locale/en/category/{0}/section/{0}", null)]
    public async Task LegacyWrite_AnyArticleCategoryOrSection_Returns403CannotWriteToLegacyHelpdesk(string method, string pattern, string? body)
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var path = $"v1/website/{websiteId}/helpdesk" + string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Guid.NewGuid());
        var response = await client.SendRawAsync(new HttpMethod(method), path, body);
        Assert.Equal(403, response.Status);
        Assert.Equal("website_cannot_write_to_legacy_helpdesk", response.Reason);
        Assert.True(response.Error);
    }

    [Fact]
    public async Task LegacyRead_ArticlesAndCategories_AreServedFromTree()
    {
        var websiteId = await host.InstallWebsiteAsync();
        using var client = host.Plugin();
        var root = $"v1/website/{websiteId}/helpdesk";
        await client.SendAsync(HttpMethod.Post, $"{root}/tree/path/en/articles/orders");
        await client.SendAsync(HttpMethod.Put, $"{root}/tree/content/en/articles/orders/ship.md", new { content = "Body" });
        await client.SendAsync(HttpMethod.Patch, $"{root}/tree/metadata/en/articles/orders/ship.md", new { title = "Ship", state = new { published = true } });

        var articles = await client.GetAsync($"{root}/locale/en/articles/1");
        var article = Assert.Single(articles.DataArray)!;
        Assert.Equal("Ship", article["title"]!.GetValue<string>());
        Assert.Equal("published", article["status"]!.GetValue<string>());
        var articleId = article["article_id"]!.GetValue<string>();
        var resolved = await client.GetAsync($"{root}/locale/en/article/{articleId}");
        Assert.Equal("Body", resolved.Data!["content"]!.GetValue<string>());
        var categories = await client.GetAsync($"{root}/locale/en/categories/1");
        var category = Assert.Single(categories.DataArray)!;
        var link = await client.GetAsync($"{root}/locale/en/article/{articleId}/category");
        Assert.Equal(category["category_id"]!.GetValue<string>(), link.Data!["category_id"]!.GetValue<string>());
    }
}
