using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Web.Features.Helpdesk;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Api;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>
/// What is refused before Crisp is read (media type, size, not a zip), tenant isolation of sync runs and drafts,
/// dashboard roles and the sanitised preview. Crisp is unreachable in this fixture, which the pages must survive.
/// </summary>
public abstract class HelpdeskApiTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    [Fact]
    public async Task Sync_NotAZipContentType_415()
    {
        var (_, client) = await TenantClientAsync();

        var response = await client.PostAsync("/api/v1/helpdesk/sync", Json("{\"files\":[]}"));

        await AssertProblemAsync(response, 415, "unsupported-media-type");
    }

    [Fact]
    public async Task Sync_ArchiveOverTheLimit_413AndNothingStored()
    {
        var (tenant, client) = await TenantClientAsync();
        var limit = Hub.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HelpdeskOptions>>().Value.MaxArchiveBytes;
        var content = new ByteArrayContent(new byte[limit + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        var response = await client.PostAsync("/api/v1/helpdesk/sync", content);

        var problem = await AssertProblemAsync(response, 413, "payload-too-large");
        Assert.Contains("Helpdesk:MaxArchiveBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNoSyncRunsAsync(tenant);
    }

    [Fact]
    public async Task Sync_BodyIsNotAZip_400WithReason()
    {
        var (tenant, client) = await TenantClientAsync();
        var content = new ByteArrayContent("definitely not a zip"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");

        var response = await client.PostAsync("/api/v1/helpdesk/sync", content);

        var problem = await AssertProblemAsync(response, 400, "invalid-archive");
        Assert.Contains("not a valid zip", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNoSyncRunsAsync(tenant);
    }

    [Theory]
    [InlineData("prune=yes", "prune")]
    [InlineData("prune=", "prune")]
    [InlineData("dry_run=2", "dry_run")]
    public async Task Sync_SwitchThatIsNeitherTrueNorFalse_422NamingIt(string query, string field)
    {
        var (tenant, client) = await TenantClientAsync();

        var response = await client.PostAsync($"/api/v1/helpdesk/sync?{query}", ZipContent());

        var problem = await AssertProblemAsync(response, 422, "validation-failed");
        Assert.Contains("true or false (or 1 / 0)", problem.GetProperty("errors").GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        await AssertNoSyncRunsAsync(tenant);
    }

    [Theory]
    [InlineData("dry_run=1&prune=1")]
    [InlineData("dry_run=TRUE&prune=0")]
    public async Task Sync_SwitchesAsOneOrZero_AreAccepted(string query)
    {
        var (_, client) = await TenantClientAsync();

        var response = await client.PostAsync($"/api/v1/helpdesk/sync?{query}", ZipContent());

        // Crisp is unreachable in this fixture: getting as far as reading it means the switches were accepted.
        await AssertProblemAsync(response, 502, HelpdeskApi.CrispUnavailable);
    }

    private static ByteArrayContent ZipContent()
    {
        var content = new ByteArrayContent(HelpdeskHarness.Zip(new Dictionary<string, string> { ["en/articles/a.md"] = HelpdeskHarness.Doc("A", "a") }));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }

    [Fact]
    public async Task GetSync_KeyOfAnotherTenant_404_OwnKey_200()
    {
        var (_, clientA) = await TenantClientAsync("Tenant A");
        var (b, clientB) = await TenantClientAsync("Tenant B");
        var runOfB = await SyncRunAsync(b);

        await AssertProblemAsync(await clientA.GetAsync($"/api/v1/helpdesk/sync/{runOfB:D}"), 404, "not-found");
        var own = await clientB.GetAsync($"/api/v1/helpdesk/sync/{runOfB:D}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("b-secret-article.md", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_MemberOfA_SeesNeitherBsDraftsNorBsSyncRuns()
    {
        var a = await Data.TenantAsync("Tenant A");
        var b = await Data.TenantAsync("Tenant B");
        var runOfB = await SyncRunAsync(b);
        await DraftAsync(b, "B secret draft");
        await DraftAsync(a, "A own draft");
        await Data.UserAsync("owner@a.example", a, TenantRole.Owner);
        var browser = Hub.CreateBrowser();
        await Browser.SignInAsync(browser, "owner@a.example");

        var index = await browser.GetAsync($"/t/{a:D}/helpdesk");
        var html = await index.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("A own draft", html, StringComparison.Ordinal);
        Assert.DoesNotContain("B secret draft", html, StringComparison.Ordinal);
        Assert.Contains("Crisp could not be reached", html, StringComparison.Ordinal);
        Assert.DoesNotContain("b-secret-article", await browser.GetStringAsync($"/t/{a:D}/helpdesk/syncs"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/t/{a:D}/helpdesk/syncs/{runOfB:D}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/t/{b:D}/helpdesk/syncs/{runOfB:D}")).StatusCode);
    }

    [Fact]
    public async Task Dashboard_Viewer_ReadsButEveryPostIsRefused()
    {
        var tenant = await Data.TenantAsync("Acme");
        var run = await SyncRunAsync(tenant);
        await Data.UserAsync("viewer@acme.example", tenant, TenantRole.Viewer);
        var browser = Hub.CreateBrowser();
        await Browser.SignInAsync(browser, "viewer@acme.example");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/t/{tenant:D}/helpdesk/syncs/{run:D}")).StatusCode);
        var token = await Browser.AntiforgeryTokenAsync(browser, $"/t/{tenant:D}/helpdesk/syncs");
        Assert.DoesNotContain(">Publish<", await browser.GetStringAsync($"/t/{tenant:D}/helpdesk/edit"), StringComparison.Ordinal);

        foreach (var action in new[] { "edit", "preview", "move", "unpublish", "delete" })
        {
            var response = await browser.PostAsync($"/t/{tenant:D}/helpdesk/{action}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Locale"] = "en", ["ContentType"] = "articles", ["Slug"] = "x", ["Title"] = "X", ["intent"] = "draft",
                ["locale"] = "en", ["type"] = "articles", ["path"] = "x.md", ["confirm"] = "x", ["markdown"] = "# hi",
            }));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Viewer POST {action} answered {(int)response.StatusCode}.");
        }

        await AssertNoDraftsAsync(tenant);
    }

    [Fact]
    public async Task Preview_StripsScriptsEventHandlersAndJavascriptLinks()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("editor@acme.example", tenant, TenantRole.Editor);
        var browser = Hub.CreateBrowser();
        await Browser.SignInAsync(browser, "editor@acme.example");
        var token = await Browser.AntiforgeryTokenAsync(browser, $"/t/{tenant:D}/helpdesk/edit");
        const string markdown = "# Title\n\n<script>alert('x')</script>\n\n<img src=\"x.png\" onerror=\"alert(1)\">\n\n"
            + "[click](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(2)\">raw</a> <iframe src=\"https://evil.example\"></iframe>\n\n**bold** [ok](https://example.com)";

        var response = await browser.PostAsync($"/t/{tenant:D}/helpdesk/preview", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["markdown"] = markdown,
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<h1", html, StringComparison.Ordinal);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.com\"", html, StringComparison.Ordinal);

        var withoutToken = await browser.PostAsync($"/t/{tenant:D}/helpdesk/preview", new FormUrlEncodedContent(new Dictionary<string, string> { ["markdown"] = "# hi" }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    [Fact]
    public async Task Preview_MarkdownNestedDeeperThanMarkdigAllows_200WithTheTextAsWritten()
    {
        // Markdig throws past 128 nested elements; the preview (and the editor page, which renders the same way) was a 500.
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("editor@acme.example", tenant, TenantRole.Editor);
        var browser = Hub.CreateBrowser();
        await Browser.SignInAsync(browser, "editor@acme.example");
        var token = await Browser.AntiforgeryTokenAsync(browser, $"/t/{tenant:D}/helpdesk/edit");

        var response = await browser.PostAsync($"/t/{tenant:D}/helpdesk/preview", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["markdown"] = new string('>', 200) + " quoted",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("No preview", html, StringComparison.Ordinal);
        Assert.Contains("quoted", html, StringComparison.Ordinal);
    }

    private async Task<Guid> SyncRunAsync(Guid tenant)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var plan = new HelpdeskPlan();
            plan.Items.Add(new PlanItem { Locale = "en", ContentType = "articles", Path = "b-secret-article.md", Action = HelpdeskPlanAction.Unchanged });
            var run = await scope.ServiceProvider.GetRequiredService<HelpdeskSyncRunner>().EnqueueAsync(plan, "api", "test", prune: false, CancellationToken.None);
            return run.Id;
        }
    }

    private async Task DraftAsync(Guid tenant, string title)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<HelpdeskEditor>().SaveDraftAsync(
                new HelpdeskArticleForm { Locale = "en", ContentType = "articles", Slug = "draft-" + tenant.ToString("N")[..6], Title = title, Markdown = "x" }, CancellationToken.None);
        }
    }

    private async Task AssertNoSyncRunsAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(db.Set<HelpdeskSync>());
        }
    }

    private async Task AssertNoDraftsAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(db.Set<HelpdeskArticle>());
        }
    }
}

public sealed class HelpdeskApiTestsOnSqlite(SqliteHubFixture fixture) : HelpdeskApiTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class HelpdeskApiTestsOnPostgres(PostgresHubFixture fixture) : HelpdeskApiTests(fixture);
