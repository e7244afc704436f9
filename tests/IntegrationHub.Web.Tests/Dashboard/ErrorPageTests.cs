using System.Net;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Dashboard;

/// <summary>Error answers as a browser sees them (a page) and as a client asking for JSON sees them (a problem document).</summary>
public abstract class ErrorPageTests(IHubFixture fixture) : HubTestBase(fixture)
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    [Fact]
    public async Task UnknownDashboardPages_BrowserGetsAnHtmlPage_ClientAskingForJsonTheProblemDocument()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Other");
        await Data.UserAsync("viewer@acme.example", tenant, TenantRole.Viewer);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "viewer@acme.example");

        foreach (var url in new[] { $"/t/{tenant:D}/rules/{Guid.NewGuid():D}", $"/t/{tenant:D}/no-such-page", $"/t/{other:D}/rules", "/no-such-page" })
        {
            var page = await GetAsync(client, url, BrowserAccept);

            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("<h1>Not found</h1>", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Other", html, StringComparison.Ordinal);

            foreach (var accept in new[] { "application/json", "application/problem+json, text/html", "" })
            {
                var problem = await GetAsync(client, url, accept);
                Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
                Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task ApiRoutes_BrowserAcceptHeader_StillTheProblemDocument()
    {
        var response = await GetAsync(Hub.CreateBrowser(), "/api/v1/no-such-route", BrowserAccept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FormPostedWithoutItsToken_BrowserGetsAPageSayingToReloadAndSendAgain()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("editor@acme.example", tenant, TenantRole.Editor);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "editor@acme.example");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/t/{tenant:D}/rules/new")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "Paid" }),
        };
        request.Headers.Accept.ParseAdd(BrowserAccept);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("reload the page and send it again", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept.Length > 0)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await client.SendAsync(request);
    }
}

public sealed class ErrorPageTestsOnSqlite(SqliteHubFixture fixture) : ErrorPageTests(fixture), IClassFixture<SqliteHubFixture>;
