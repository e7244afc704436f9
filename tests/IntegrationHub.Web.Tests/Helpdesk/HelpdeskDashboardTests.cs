using System.Net;
using IntegrationHub.CrispSimulator.Helpdesk;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Helpdesk;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static IntegrationHub.Web.Tests.Helpdesk.HelpdeskHarness;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>The dashboard editor against a live hub and the simulator: publish, drift, move, delete confirmation.</summary>
public abstract class HelpdeskDashboardTests(LiveHubFixture live) : LiveHubTestBase(live)
{
    [Fact]
    public async Task Publish_ArticleWrittenInTheDashboard_IsPublishedInCrispWithItsMetadata()
    {
        var (website, browser) = await SignedInEditorAsync();
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles";
        var page = await browser.GetStringAsync(editUrl);
        Assert.Contains("id=\"preview\"", page, StringComparison.Ordinal);
        Assert.Contains(">Save draft<", page, StringComparison.Ordinal);

        var draft = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", Form("orders", "returns", "Returns", "# Returns\n\n30 days.\n", "draft"));
        Assert.Equal(HttpStatusCode.Redirect, draft.StatusCode);
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "orders/returns.md"));
        Assert.Equal(0, HelpdeskWrites(Simulator, website));

        var published = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", Form("orders", "returns", "Returns", "# Returns\n\n30 days.\n", "publish"));

        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var syncUrl = published.Headers.Location!.OriginalString;
        Assert.Contains("/helpdesk/syncs/", syncUrl, StringComparison.Ordinal);
        await Eventually.UntilAsync(async () => (await browser.GetStringAsync(syncUrl)).Contains("Helpdesk sync: done", StringComparison.Ordinal), "the publish to finish", TimeSpan.FromSeconds(60));
        var file = HelpdeskHarness.Node(Simulator, website, "orders/returns.md")!;
        Assert.Equal(("# Returns\n\n30 days.\n", "Returns", "What to send back", true, false, true), (file.Content, file.Title, file.Description, file.Published, file.Hidden, file.Featured));
        // create folder → create file → put content → patch metadata, in that order
        var writes = Simulator.State.GetJournal(website.ToString("D")).Where(e => e.Method != "GET").Select(e => $"{e.Method} {e.Path[(e.Path.IndexOf("/helpdesk/", StringComparison.Ordinal) + 10)..]}").ToList();
        Assert.Equal(
            ["POST tree/path/en/articles/orders", "POST tree/path/en/articles/orders/returns.md", "PUT tree/content/en/articles/orders/returns.md", "PATCH tree/metadata/en/articles/orders/returns.md"],
            writes);
        var tree = await browser.GetStringAsync($"/t/{website:D}/helpdesk?locale=en&type=articles");
        Assert.Contains("returns.md", tree, StringComparison.Ordinal);
        Assert.Contains("What to send back", tree, StringComparison.Ordinal);
        Assert.Contains("published", tree, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editor_CrispCopyDiffersOnlyInItsFinalLineBreak_NoDriftAndPublishNotRefused()
    {
        var (website, browser) = await SignedInEditorAsync();
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=faq.md";
        var first = await Browser.SubmitAsync(browser, $"/t/{website:D}/helpdesk/edit", $"/t/{website:D}/helpdesk/edit", Form("", "faq", "FAQ", "Hub version one\n", "publish"));
        await Eventually.UntilAsync(async () => (await browser.GetStringAsync(first.Headers.Location!.OriginalString)).Contains("Helpdesk sync: done", StringComparison.Ordinal), "the first publish", TimeSpan.FromSeconds(60));

        EditInCrisp(Simulator, website, "faq.md", "Hub version one");

        Assert.DoesNotContain("id=\"drift\"", await browser.GetStringAsync(editUrl), StringComparison.Ordinal);
        var second = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", Form("", "faq", "FAQ", "Hub version two\n", "publish"));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
    }

    [Fact]
    public async Task Publish_CrispCopyChangedSinceLastSync_ShowsBothVersions_AndOverwritesOnlyWhenConfirmed()
    {
        var (website, browser) = await SignedInEditorAsync();
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=faq.md";
        var first = await Browser.SubmitAsync(browser, $"/t/{website:D}/helpdesk/edit", $"/t/{website:D}/helpdesk/edit", Form("", "faq", "FAQ", "Hub version one\n", "publish"));
        await Eventually.UntilAsync(async () => (await browser.GetStringAsync(first.Headers.Location!.OriginalString)).Contains("Helpdesk sync: done", StringComparison.Ordinal), "the first publish", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("id=\"drift\"", await browser.GetStringAsync(editUrl), StringComparison.Ordinal);

        EditInCrisp(Simulator, website, "faq.md", "Edited in Crisp by a colleague\n");

        var page = await browser.GetStringAsync(editUrl);
        Assert.Contains("id=\"drift\"", page, StringComparison.Ordinal);
        Assert.Contains("Edited in Crisp by a colleague", page, StringComparison.Ordinal);
        Assert.Contains("Hub version one", page, StringComparison.Ordinal);
        var callsBefore = await CallCountAsync(website);

        var refused = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", Form("", "faq", "FAQ", "Hub version two\n", "publish"));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Overwrite Crisp&#x27;s copy", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(callsBefore, await CallCountAsync(website));
        Assert.Equal("Edited in Crisp by a colleague\n", HelpdeskHarness.Node(Simulator, website, "faq.md")!.Content);

        var fields = Form("", "faq", "FAQ", "Hub version two\n", "publish");
        fields["Overwrite"] = "true";
        var overwritten = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", fields);

        Assert.Equal(HttpStatusCode.Redirect, overwritten.StatusCode);
        await Eventually.UntilAsync(() => HelpdeskHarness.Node(Simulator, website, "faq.md")!.Content == "Hub version two\n", "the overwrite to land", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("id=\"drift\"", await browser.GetStringAsync(editUrl), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoveAndDelete_DeleteNeedsTheFileNameTyped()
    {
        var (website, browser) = await SignedInEditorAsync();
        var first = await Browser.SubmitAsync(browser, $"/t/{website:D}/helpdesk/edit", $"/t/{website:D}/helpdesk/edit", Form("", "old-name", "Old", "Body\n", "publish"));
        await Eventually.UntilAsync(async () => (await browser.GetStringAsync(first.Headers.Location!.OriginalString)).Contains("Helpdesk sync: done", StringComparison.Ordinal), "the publish", TimeSpan.FromSeconds(60));
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=old-name.md";

        var moved = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/move", new Dictionary<string, string>
        {
            ["locale"] = "en", ["type"] = "articles", ["path"] = "old-name.md", ["folder"] = "guides-folder", ["slug"] = "new-name",
        });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        await Eventually.UntilAsync(() => HelpdeskHarness.Node(Simulator, website, "guides-folder/new-name.md") is not null, "the move to land", TimeSpan.FromSeconds(60));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "old-name.md"));
        await Eventually.UntilAsync(() => DraftPathsAsync(website), paths => paths.SequenceEqual(["guides-folder/new-name.md"]), "the draft to follow the move", TimeSpan.FromSeconds(10));

        var newUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=guides-folder%2Fnew-name.md";
        var unconfirmed = await Browser.SubmitAsync(browser, newUrl, $"/t/{website:D}/helpdesk/delete", new Dictionary<string, string>
        {
            ["locale"] = "en", ["type"] = "articles", ["path"] = "guides-folder/new-name.md", ["confirm"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        Assert.Contains("/helpdesk/edit", unconfirmed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, HelpdeskWrites(Simulator, website, "DELETE"));

        var confirmed = await Browser.SubmitAsync(browser, newUrl, $"/t/{website:D}/helpdesk/delete", new Dictionary<string, string>
        {
            ["locale"] = "en", ["type"] = "articles", ["path"] = "guides-folder/new-name.md", ["confirm"] = "new-name",
        });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        await Eventually.UntilAsync(() => HelpdeskHarness.Node(Simulator, website, "guides-folder/new-name.md") is null, "the delete to land", TimeSpan.FromSeconds(60));
        Assert.Equal(1, HelpdeskWrites(Simulator, website, "DELETE"));
    }

    [Fact]
    public async Task Move_IntoAFolderDifferingOnlyInCaseFromCrisps_RefusedNamingCrispsSpelling_NothingQueued()
    {
        var (website, browser) = await SignedInEditorAsync();
        var first = await Browser.SubmitAsync(browser, $"/t/{website:D}/helpdesk/edit", $"/t/{website:D}/helpdesk/edit", Form("Billing", "pay", "Pay", "Card\n", "publish"));
        await Eventually.UntilAsync(async () => (await browser.GetStringAsync(first.Headers.Location!.OriginalString)).Contains("Helpdesk sync: done", StringComparison.Ordinal), "the publish", TimeSpan.FromSeconds(60));
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=Billing%2Fpay.md";
        var calls = await CallCountAsync(website);

        var moved = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/move", new Dictionary<string, string>
        {
            ["locale"] = "en", ["type"] = "articles", ["path"] = "Billing/pay.md", ["folder"] = "billing", ["slug"] = "pay",
        });

        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Contains("Crisp already has Billing, which differs only in letter case", await browser.GetStringAsync(moved.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Equal(calls, await CallCountAsync(website));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "billing"));

        var renamed = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/move", new Dictionary<string, string>
        {
            ["locale"] = "en", ["type"] = "articles", ["path"] = "Billing/pay.md", ["folder"] = "Billing", ["slug"] = "Pay",
        });

        Assert.Contains("/helpdesk/syncs/", renamed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        await Eventually.UntilAsync(() => HelpdeskHarness.Node(Simulator, website, "Billing/Pay.md") is not null, "the case-only rename of the file itself to land", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Move_OntoAPathCrispAlreadyHas_RefusedAndTheDraftStaysWithItsArticle()
    {
        var (website, browser) = await SignedInEditorAsync();
        var first = await Browser.SubmitAsync(browser, $"/t/{website:D}/helpdesk/edit", $"/t/{website:D}/helpdesk/edit", Form("getting-started", "xss", "XSS", "About XSS\n", "publish"));
        await Eventually.UntilAsync(async () => (await browser.GetStringAsync(first.Headers.Location!.OriginalString)).Contains("Helpdesk sync: done", StringComparison.Ordinal), "the publish", TimeSpan.FromSeconds(60));
        // install.md reaches Crisp through docs as code: Crisp has it, the hub has no draft of it.
        var api = ApiClient(Live.CreateClient(), (await Data.ApiKeyAsync(website)).Plaintext);
        var docs = Zip(new Dictionary<string, string> { ["en/articles/getting-started/install.md"] = Doc("Install", "Run the installer.\n") });
        await WaitForSyncAsync(api, (await PostSyncAsync(api, docs)).Body.GetProperty("id").GetString()!);
        var xssUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=getting-started%2Fxss.md";
        var installUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=getting-started%2Finstall.md";
        var callsBefore = await CallCountAsync(website);

        var refused = await Browser.SubmitAsync(browser, xssUrl, $"/t/{website:D}/helpdesk/move", new Dictionary<string, string>
        {
            ["locale"] = "en", ["type"] = "articles", ["path"] = "getting-started/xss.md", ["folder"] = "getting-started", ["slug"] = "install",
        });

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/helpdesk/edit", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("Crisp already has getting-started/install.md", await browser.GetStringAsync(refused.Headers.Location.OriginalString), StringComparison.Ordinal);
        Assert.Equal(callsBefore, await CallCountAsync(website));
        Assert.Equal(["getting-started/xss.md"], await DraftPathsAsync(website));

        // Should the move fail in Crisp all the same (the path taken after the check), the draft stays with its article.
        var (scope, _) = Live.OpenScope(website);
        Guid syncId;
        await using (scope)
        {
            syncId = (await scope.ServiceProvider.GetRequiredService<HelpdeskEditor>().MoveAsync("en", "articles", "getting-started/xss.md", "getting-started", "install", null, "test", CancellationToken.None)).Id;
        }

        await Eventually.UntilAsync(async () => (await browser.GetStringAsync($"/t/{website:D}/helpdesk/syncs/{syncId:D}")).Contains("Helpdesk sync: failed", StringComparison.Ordinal), "the move to fail", TimeSpan.FromSeconds(60));
        Assert.Equal(["getting-started/xss.md"], await DraftPathsAsync(website));
        Assert.Equal("About XSS\n", HelpdeskHarness.Node(Simulator, website, "getting-started/xss.md")!.Content);
        Assert.DoesNotContain("id=\"drift\"", await browser.GetStringAsync(installUrl), StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"drift\"", await browser.GetStringAsync(xssUrl), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveDraft_PositionNotANumber_FormShownAgainWithTheFieldError()
    {
        var (website, browser) = await SignedInEditorAsync();
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles";
        var fields = Form("", "positions", "Positions", "Body\n", "draft");
        fields["Position"] = "abc";

        var response = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Position must be a whole number from 0 to 10000.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await DraftPathsAsync(website));
    }

    [Fact]
    public async Task Publish_ArticleTooLongToQueue_FormShownAgainWithTheReason_NothingQueued()
    {
        var (website, browser) = await SignedInEditorAsync();
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles";

        var response = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", Form("", "long", "Long", string.Concat(Enumerable.Repeat("line\n", 25_000)), "publish"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("too long to queue", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CallCountAsync(website));
    }

    [Fact]
    public async Task Publish_LocaleTheHelpdeskLacks_422WithTheReason_DraftKept_NothingQueued()
    {
        var (website, browser) = await SignedInEditorAsync();
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles";
        var fields = Form("", "willkommen", "Willkommen", "Hallo\n", "publish");
        fields["Locale"] = "de";

        var response = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", fields);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Locale &#x27;de&#x27; does not exist in this website&#x27;s helpdesk", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Try again later", page, StringComparison.Ordinal);
        Assert.Equal(0, await CallCountAsync(website));
        Assert.Equal(["willkommen.md"], await DraftPathsAsync(website));
    }

    [Fact]
    public async Task Publish_FolderDifferingOnlyInCaseFromCrisps_422NamingCrispsSpelling_NothingQueued()
    {
        var (website, browser) = await SignedInEditorAsync();
        Simulator.State.Read(state =>
        {
            var root = state.FindWebsite(website.ToString("D"))!.Helpdesk.FindLocale("en")!.Tree("articles");
            return KbTree.Create(root, ["Billing"], createParents: false, now: 0);
        });
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles";

        var response = await Browser.SubmitAsync(browser, editUrl, $"/t/{website:D}/helpdesk/edit", Form("billing", "refunds", "Refunds", "A week.\n", "publish"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Folder &#x27;billing&#x27; differs only in letter case from &#x27;Billing&#x27;", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await CallCountAsync(website));
        Assert.Equal(["billing/refunds.md"], await DraftPathsAsync(website));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "billing"));
    }

    [Fact]
    public async Task Editor_PreviewMayShowTheArticlesHttpsImages_OtherPagesKeepTheirImagesLocal()
    {
        var (website, browser) = await SignedInEditorAsync();

        var editor = await browser.GetAsync($"/t/{website:D}/helpdesk/edit?locale=en&type=articles");
        var tree = await browser.GetAsync($"/t/{website:D}/helpdesk");

        var editorPolicy = string.Join(";", editor.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("img-src 'self' data: https:;", editorPolicy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", editorPolicy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' data:;", string.Join(";", tree.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveDraft_NewArticleSubmittedSeveralTimesAtOnce_EverySaveAnswered_OneDraft()
    {
        var (website, browser) = await SignedInEditorAsync();
        var editUrl = $"/t/{website:D}/helpdesk/edit?locale=en&type=articles";
        var token = await Browser.AntiforgeryTokenAsync(browser, editUrl);

        // A double click or two tabs: the same new article's first save, several times at once.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            var fields = Form("", "twice", $"Twice {i}", $"Body {i}\n", "draft");
            fields["__RequestVerificationToken"] = token;
            return (await browser.PostAsync($"/t/{website:D}/helpdesk/edit", new FormUrlEncodedContent(fields))).StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Redirect, status));
        Assert.Equal(["twice.md"], await DraftPathsAsync(website));
    }

    [Fact]
    public async Task Edit_CrispCannotBeReadAndNoLocalDraft_ShowsTheReasonNotAnError()
    {
        // A tenant the simulator has never installed: every read answers not_subscribed.
        var website = await Data.TenantAsync("Not In Crisp");
        await Data.UserAsync("owner@not-in-crisp.example", website, TenantRole.Owner);
        var browser = Live.CreateClient();
        await Browser.SignInAsync(browser, "owner@not-in-crisp.example");

        var response = await browser.GetAsync($"/t/{website:D}/helpdesk/edit?locale=en&type=articles&path=foo.md");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Crisp could not be reached or refused the request", page, StringComparison.Ordinal);
        Assert.Contains("cannot be shown until Crisp answers", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"editor\"", page, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Form(string folder, string slug, string title, string markdown, string intent) => new()
    {
        ["Locale"] = "en",
        ["ContentType"] = "articles",
        ["Folder"] = folder,
        ["Slug"] = slug,
        ["Title"] = title,
        ["Description"] = "What to send back",
        ["Markdown"] = markdown,
        ["Featured"] = "true",
        ["intent"] = intent,
    };

    private async Task<List<string>> DraftPathsAsync(Guid website)
    {
        var (scope, db) = Live.OpenScope(website);
        await using (scope)
        {
            return (await db.Set<HelpdeskArticle>().AsNoTracking().ToListAsync()).Select(a => HelpdeskPaths.FilePath(a.FolderPath, a.Slug)).ToList();
        }
    }

    private async Task<int> CallCountAsync(Guid website)
    {
        var (scope, db) = Live.OpenScope(website);
        await using (scope)
        {
            return await db.Set<CrispCall>().CountAsync();
        }
    }

    private async Task<(Guid Website, HttpClient Browser)> SignedInEditorAsync()
    {
        var website = Guid.Parse(Simulator.Install("Editors Inc").WebsiteId);
        await Live.WaitForTenantAsync(website);
        await Data.UserAsync("editor@editors.example", website, TenantRole.Editor);
        var browser = Live.CreateClient();
        await Browser.SignInAsync(browser, "editor@editors.example");
        return (website, browser);
    }
}

public sealed class HelpdeskDashboardTestsOnSqlite(HelpdeskLiveFixture live) : HelpdeskDashboardTests(live), IClassFixture<HelpdeskLiveFixture>;

public sealed class HelpdeskDashboardTestsOnPostgres(HelpdeskLivePostgresFixture live) : HelpdeskDashboardTests(live), IClassFixture<HelpdeskLivePostgresFixture>;
