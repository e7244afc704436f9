using System.Net;
using System.Text;
using System.Text.Json;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static IntegrationHub.Web.Tests.Helpdesk.HelpdeskHarness;

namespace IntegrationHub.Web.Tests.Helpdesk;

/// <summary>
/// Docs as code against a live hub and the simulator as Crisp: the archive is planned against Crisp's tree, queued
/// through the delivery engine, and lands in the simulator; writes are counted in the simulator's journal.
/// </summary>
public abstract class HelpdeskSyncTests(LiveHubFixture live) : LiveHubTestBase(live)
{
    private static Dictionary<string, string> Docs() => new()
    {
        ["en/articles/orders/shipping-policy.md"] = Doc("Shipping policy", "# Shipping\n\nWe ship worldwide.\n", description: "How and when we ship"),
        ["en/articles/orders/delivery/tracking.md"] = Doc("Tracking a parcel", "Use the tracking link in your email.\n"),
        ["en/articles/faq.md"] = Doc("FAQ", "Questions and answers.\n", published: false),
    };

    [Fact]
    public async Task Sync_DocsFolder_LandsInCrispWithMetadata_AndSecondSyncMakesNoWrites()
    {
        var (website, client) = await InstalledAsync();

        var (response, body) = await PostSyncAsync(client, Zip(Docs()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3 + 2, body.GetProperty("summary").GetProperty("create").GetInt32()); // three files, folders orders and orders/delivery
        var done = await WaitForSyncAsync(client, body.GetProperty("id").GetString()!);
        Assert.Equal("done", done.GetProperty("status").GetString());
        var shipping = HelpdeskHarness.Node(Simulator, website, "orders/shipping-policy.md")!;
        Assert.Equal("# Shipping\n\nWe ship worldwide.\n", shipping.Content);
        Assert.Equal(("Shipping policy", "How and when we ship", true), (shipping.Title, shipping.Description, shipping.Published));
        Assert.True(HelpdeskHarness.Node(Simulator, website, "orders/delivery")!.IsFolder);
        Assert.False(HelpdeskHarness.Node(Simulator, website, "faq.md")!.Published);
        var writes = HelpdeskWrites(Simulator, website);
        Assert.True(writes >= 11, $"expected the creates, contents and metadata to be written, saw {writes}");

        var (again, plan) = await PostSyncAsync(client, Zip(Docs()));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(0, plan.GetProperty("summary").GetProperty("writes").GetInt32());
        Assert.Equal(3, plan.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.Equal("done", (await WaitForSyncAsync(client, plan.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        Assert.Equal(writes, HelpdeskWrites(Simulator, website));
    }

    [Fact]
    public async Task Sync_CrispListsTheTreeInSmallPages_SecondSyncStillSeesEveryEntryAndMakesNoWrites()
    {
        // Crisp's page size of tree/list is not documented: a page shorter than 20 need not be the last.
        var (website, client) = await InstalledAsync();
        var docs = Docs();
        docs["en/articles/returns.md"] = Doc("Returns", "Send it back within 30 days.\n");
        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(docs))).Body.GetProperty("id").GetString()!);
        var pageSize = Simulator.Options.DefaultPerPage;
        Simulator.Options.DefaultPerPage = 2; // three top-level entries: orders, faq.md, returns.md
        try
        {
            var (_, plan) = await PostSyncAsync(client, Zip(docs), "?dry_run=true");

            Assert.Equal(0, plan.GetProperty("summary").GetProperty("writes").GetInt32());
            Assert.Equal(4, plan.GetProperty("summary").GetProperty("unchanged").GetInt32());
            Assert.Contains(Simulator.State.GetJournal(website.ToString("D")), e => e.Path.EndsWith("/tree/list/en/articles/3", StringComparison.Ordinal));
        }
        finally
        {
            Simulator.Options.DefaultPerPage = pageSize;
        }
    }

    [Fact]
    public async Task Sync_CrispListsFoldersWithoutTheirChildren_ReadsThemBySubPathAndSecondSyncMakesNoWrites()
    {
        // crisp-kb-tree-api.md: "Walk children, or pass ?sub_path=<folder> to go deeper" - how deep a list nests is not
        // documented. Here sections come with children: [] and their files are only seen through sub_path.
        var (website, client) = await InstalledAsync();
        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(Docs()))).Body.GetProperty("id").GetString()!);
        var writes = HelpdeskWrites(Simulator, website);
        var depth = Simulator.Options.KbListChildrenDepth;
        Simulator.Options.KbListChildrenDepth = 1; // orders lists delivery, but delivery lists nothing
        try
        {
            var (_, plan) = await PostSyncAsync(client, Zip(Docs()), "?prune=true");
            await WaitForSyncAsync(client, plan.GetProperty("id").GetString()!);

            Assert.Equal(0, plan.GetProperty("summary").GetProperty("writes").GetInt32());
            Assert.Equal(3, plan.GetProperty("summary").GetProperty("unchanged").GetInt32());
            Assert.Equal(writes, HelpdeskWrites(Simulator, website));
            Assert.Contains(Simulator.State.GetJournal(website.ToString("D")), e => e.Query.Contains("sub_path=orders%2Fdelivery", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            Simulator.Options.KbListChildrenDepth = depth;
        }
    }

    [Fact]
    public async Task Sync_CrispRateLimitsTheReads_503WithRetryAfter_NothingQueued()
    {
        // Crisp answering 429 is not a broken gateway: the caller is told to come back after Crisp's delay (it was a 502).
        var (website, client) = await InstalledAsync();
        Simulator.State.Read(state =>
        {
            var budget = state.FindWebsite(website.ToString("D"))!.Budget;
            (budget.RequestsPerMinute, budget.Count, budget.WindowStart, budget.RetryAfterSeconds) = (1, 1, state.Now, 30);
            return 0;
        });
        try
        {
            var (response, body) = await PostSyncAsync(client, Zip(Docs()));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.EndsWith("/crisp-rate-limited", body.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(30), response.Headers.RetryAfter?.Delta);
            var (scope, db) = Live.OpenScope(website);
            await using (scope)
            {
                Assert.Equal(0, await db.Set<CrispCall>().CountAsync());
            }
        }
        finally
        {
            Simulator.State.Read(state => state.FindWebsite(website.ToString("D"))!.Budget.RequestsPerMinute = 0);
        }
    }

    [Fact]
    public async Task Sync_CrispKeepsTheBodyWithoutItsFinalLineBreakOrWithCrlf_SecondSyncMakesNoWrites()
    {
        // Whether Crisp keeps a body's final line break is not documented: a copy differing only in line endings or
        // trailing line breaks reads the same and is no change to write again.
        var (website, client) = await InstalledAsync();
        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(Docs()))).Body.GetProperty("id").GetString()!);
        EditInCrisp(Simulator, website, "orders/shipping-policy.md", "# Shipping\r\n\r\nWe ship worldwide.");
        EditInCrisp(Simulator, website, "faq.md", "Questions and answers.\n\n\n");
        var writes = HelpdeskWrites(Simulator, website);

        var (_, plan) = await PostSyncAsync(client, Zip(Docs()));
        await WaitForSyncAsync(client, plan.GetProperty("id").GetString()!);

        Assert.Equal(0, plan.GetProperty("summary").GetProperty("writes").GetInt32());
        Assert.Equal(3, plan.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.Equal(writes, HelpdeskWrites(Simulator, website));
    }

    [Fact]
    public async Task Sync_OneFileEdited_ExactlyOneContentWrite()
    {
        var (website, client) = await InstalledAsync();
        var first = await PostSyncAsync(client, Zip(Docs()));
        await WaitForSyncAsync(client, first.Body.GetProperty("id").GetString()!);
        var writesBefore = HelpdeskWrites(Simulator, website);
        var contentWritesBefore = HelpdeskWrites(Simulator, website, "PUT", "/tree/content/en/articles/orders/delivery/tracking.md");
        var edited = Docs();
        edited["en/articles/orders/delivery/tracking.md"] = Doc("Tracking a parcel", "Use the tracking link in your email, or ask us.\n");

        var (response, body) = await PostSyncAsync(client, Zip(edited));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = Assert.Single(body.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() != "unchanged");
        Assert.Equal(("orders/delivery/tracking.md", "update-content"), (item.GetProperty("path").GetString(), item.GetProperty("action").GetString()));
        await WaitForSyncAsync(client, body.GetProperty("id").GetString()!);
        Assert.Equal(writesBefore + 1, HelpdeskWrites(Simulator, website));
        Assert.Equal(contentWritesBefore + 1, HelpdeskWrites(Simulator, website, "PUT", "/tree/content/en/articles/orders/delivery/tracking.md"));
        Assert.Equal("Use the tracking link in your email, or ask us.\n", HelpdeskHarness.Node(Simulator, website, "orders/delivery/tracking.md")!.Content);
    }

    [Fact]
    public async Task Sync_FileRemovedFromInput_DeletedOnlyWithPrune()
    {
        var (website, client) = await InstalledAsync();
        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(Docs()))).Body.GetProperty("id").GetString()!);
        var fewer = Docs();
        fewer.Remove("en/articles/faq.md");

        var (_, withoutPrune) = await PostSyncAsync(client, Zip(fewer));
        await WaitForSyncAsync(client, withoutPrune.GetProperty("id").GetString()!);

        Assert.Equal(0, withoutPrune.GetProperty("summary").GetProperty("delete").GetInt32());
        Assert.Equal(0, HelpdeskWrites(Simulator, website, "DELETE"));
        Assert.NotNull(HelpdeskHarness.Node(Simulator, website, "faq.md"));

        var (_, pruned) = await PostSyncAsync(client, Zip(fewer), "?prune=true");
        Assert.Equal("done", (await WaitForSyncAsync(client, pruned.GetProperty("id").GetString()!)).GetProperty("status").GetString());

        Assert.Equal(1, pruned.GetProperty("summary").GetProperty("delete").GetInt32());
        Assert.Equal(1, HelpdeskWrites(Simulator, website, "DELETE"));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "faq.md"));
        Assert.NotNull(HelpdeskHarness.Node(Simulator, website, "orders/shipping-policy.md"));
    }

    [Fact]
    public async Task Sync_RefusedFile_KeepsItsCrispCopyAndFolders_EvenWithPrune()
    {
        var (website, client) = await InstalledAsync();
        var docs = new Dictionary<string, string>
        {
            ["en/articles/getting-started/install.md"] = Doc("Install", "Run the installer.\n"),
            ["en/articles/faq.md"] = Doc("FAQ", "Questions and answers.\n"),
        };
        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(docs))).Body.GetProperty("id").GetString()!);
        docs["en/articles/getting-started/install.md"] = "---\ntitle: Install\nauthor: me\n---\nRun the installer.\n";
        // Same content as the refused file's Crisp copy: must be created, not taken from the refused file by a move.
        docs["en/articles/elsewhere/install-copy.md"] = Doc("Install copy", "Run the installer.\n");

        foreach (var query in new[] { "?dry_run=true&prune=true", "?prune=true" })
        {
            var (_, body) = await PostSyncAsync(client, Zip(docs), query);

            var items = body.GetProperty("items").EnumerateArray().ToList();
            var refused = Assert.Single(items, i => i.GetProperty("action").GetString() == "error");
            Assert.Equal("en/articles/getting-started/install.md", refused.GetProperty("path").GetString());
            Assert.Contains("unknown field 'author'", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(items, i => i.GetProperty("action").GetString() is "delete" or "move");
            if (body.GetProperty("id").GetString() is { } id)
            {
                await WaitForSyncAsync(client, id);
            }
        }

        Assert.Equal(0, HelpdeskWrites(Simulator, website, "DELETE"));
        Assert.Equal(0, HelpdeskWrites(Simulator, website, "PATCH", "/tree/path/"));
        Assert.Equal("Run the installer.\n", HelpdeskHarness.Node(Simulator, website, "getting-started/install.md")!.Content);
        Assert.Equal("Run the installer.\n", HelpdeskHarness.Node(Simulator, website, "elsewhere/install-copy.md")!.Content);
    }

    [Fact]
    public async Task Sync_DryRun_AnswersThePlanAndQueuesNothing()
    {
        var (website, client) = await InstalledAsync();

        var (response, body) = await PostSyncAsync(client, Zip(Docs()), "?dry_run=true");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("dry_run").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("id").ValueKind);
        Assert.Equal(5, body.GetProperty("summary").GetProperty("create").GetInt32());
        var (scope, db) = Live.OpenScope(website);
        await using (scope)
        {
            Assert.Equal(0, await db.Set<CrispCall>().CountAsync());
        }

        Assert.Equal(0, HelpdeskWrites(Simulator, website));
    }

    [Fact]
    public async Task Sync_FolderNamesDifferingOnlyInCase_RefusedNotCreatedTwice()
    {
        // Tree paths are the slugs of the help center's addresses: "Orders" next to "orders" is one address twice.
        var (website, client) = await InstalledAsync();
        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(Docs()))).Body.GetProperty("id").GetString()!);
        var docs = Docs();
        docs["en/articles/Orders/returns.md"] = Doc("Returns", "Send it back.\n");
        docs["en/articles/Billing/pay.md"] = Doc("Pay", "Pay by card.\n");
        docs["en/articles/billing/refund.md"] = Doc("Refund", "Refunds take a week.\n");
        var writes = HelpdeskWrites(Simulator, website);

        var (response, body) = await PostSyncAsync(client, Zip(docs));
        await WaitForSyncAsync(client, body.GetProperty("id").GetString()!);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var items = body.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("path").GetString()!);
        Assert.Equal("error", items["Orders/returns.md"].GetProperty("action").GetString());
        Assert.Contains("'Orders' differs only in letter case from 'orders', which Crisp has", items["Orders/returns.md"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", items["Billing/pay.md"].GetProperty("action").GetString());
        Assert.Contains("'Billing' is also given as 'billing'", items["Billing/pay.md"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", items["billing/refund.md"].GetProperty("action").GetString());
        Assert.Equal(3, body.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.Equal(writes, HelpdeskWrites(Simulator, website));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "Orders"));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "Billing"));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "billing"));
    }

    [Fact]
    public async Task Sync_FileRenamedWithSameContent_MovedNotRecreated()
    {
        var (website, client) = await InstalledAsync();
        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(Docs()))).Body.GetProperty("id").GetString()!);
        var renamed = Docs();
        renamed["en/articles/help/faq.md"] = renamed["en/articles/faq.md"];
        renamed.Remove("en/articles/faq.md");

        var (_, body) = await PostSyncAsync(client, Zip(renamed));
        await WaitForSyncAsync(client, body.GetProperty("id").GetString()!);

        var moved = Assert.Single(body.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == "move");
        Assert.Equal("help/faq.md", moved.GetProperty("path").GetString());
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "faq.md"));
        Assert.Equal("Questions and answers.\n", HelpdeskHarness.Node(Simulator, website, "help/faq.md")!.Content);
        Assert.Equal(1, HelpdeskWrites(Simulator, website, "PATCH", "/tree/path/"));
        Assert.Equal(0, HelpdeskWrites(Simulator, website, "DELETE"));
    }

    [Fact]
    public async Task Sync_NewFileWithEmptyBody_CreatedNotTakenFromAnEmptyArticleCrispHasElsewhere()
    {
        // Support started an article in Crisp and has not written it yet; the docs repository adds a stub of its own.
        var (website, client) = await InstalledAsync();
        var crispOnly = Zip(new Dictionary<string, string> { ["en/articles/team/started.md"] = Doc("Started by support", "") });
        await WaitForSyncAsync(client, (await PostSyncAsync(client, crispOnly)).Body.GetProperty("id").GetString()!);

        var (_, body) = await PostSyncAsync(client, Zip(new Dictionary<string, string> { ["en/articles/release/notes.md"] = Doc("Release notes", "") }));
        await WaitForSyncAsync(client, body.GetProperty("id").GetString()!);

        Assert.DoesNotContain(body.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == "move");
        Assert.Equal("Started by support", HelpdeskHarness.Node(Simulator, website, "team/started.md")?.Title);
        Assert.Equal("Release notes", HelpdeskHarness.Node(Simulator, website, "release/notes.md")?.Title);
        Assert.Equal(0, HelpdeskWrites(Simulator, website, "PATCH", "/tree/path/"));
    }

    [Fact]
    public async Task Sync_Positions_OrderSiblings_AndASecondSyncKeepsThem()
    {
        var (website, client) = await InstalledAsync();
        var docs = new Dictionary<string, string>
        {
            ["en/articles/orders/a-first-by-name.md"] = Doc("A", "a\n", position: 1),
            ["en/articles/orders/b-second-by-name.md"] = Doc("B", "b\n", position: 0),
        };

        await WaitForSyncAsync(client, (await PostSyncAsync(client, Zip(docs))).Body.GetProperty("id").GetString()!);

        var order = Simulator.State.Read(state => state.FindWebsite(website.ToString("D"))!.Helpdesk.FindLocale("en")!.Tree("articles")
            .Child("orders")!.Children.Select(c => c.Slug).ToList());
        Assert.Equal(["b-second-by-name.md", "a-first-by-name.md"], order);
        var writes = HelpdeskWrites(Simulator, website);
        var (_, again) = await PostSyncAsync(client, Zip(docs));
        Assert.Equal(0, again.GetProperty("summary").GetProperty("writes").GetInt32());
        Assert.Equal(writes, HelpdeskWrites(Simulator, website));
    }

    [Fact]
    public async Task Sync_BadFiles_EachRefusedWithItsReason_GoodFileStillSynced_NothingWrittenForBadOnes()
    {
        var (website, client) = await InstalledAsync();
        var files = new Dictionary<string, string>
        {
            ["en/articles/good.md"] = Doc("Good", "Fine.\n"),
            ["en/articles/no-title.md"] = "---\ndescription: no title here\n---\nBody\n",
            ["en/articles/bad-yaml.md"] = "---\ntitle: [unclosed\n---\nBody\n",
            ["en/articles/bad-flow.md"] = "---\ntitle: [a\nb: c\n---\nx",
            ["en/articles/unknown-field.md"] = "---\ntitle: T\npubished: true\n---\nBody\n",
            ["en/articles/not-bool.md"] = "---\ntitle: T\npublished: maybe\n---\nBody\n",
            ["en/articles/no-front-matter.md"] = "Just text\n",
            ["en/articles/Bad Name.md"] = Doc("Bad", "x"),
            ["en/articles/a/b/c/too-deep.md"] = Doc("Deep", "x"),
            ["en/manuals/wrong-type.md"] = Doc("Type", "x"),
            ["en/articles/image.png"] = "PNG",
            ["../escape.md"] = Doc("Escape", "x"),
            ["fr/articles/bonjour.md"] = Doc("Bonjour", "x"),
        };
        var raw = new Dictionary<string, byte[]> { ["en/articles/latin1.md"] = [.. Encoding.UTF8.GetBytes("---\ntitle: Caf"), 0xE9, .. Encoding.UTF8.GetBytes("\n---\nx\n")] };

        var (response, body) = await PostSyncAsync(client, Zip(files, raw));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var errors = body.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("action").GetString() == "error")
            .ToDictionary(i => i.GetProperty("path").GetString()!, i => i.GetProperty("detail").GetString()!);
        Assert.Contains("'title' is required", errors["en/articles/no-title.md"], StringComparison.Ordinal);
        Assert.Contains("YAML error", errors["en/articles/bad-yaml.md"], StringComparison.Ordinal);
        Assert.Contains("Invalid front matter", errors["en/articles/bad-flow.md"], StringComparison.Ordinal);
        Assert.Contains("unknown field 'pubished'", errors["en/articles/unknown-field.md"], StringComparison.Ordinal);
        Assert.Contains("'published' must be true or false", errors["en/articles/not-bool.md"], StringComparison.Ordinal);
        Assert.Contains("Front matter is missing", errors["en/articles/no-front-matter.md"], StringComparison.Ordinal);
        Assert.Contains("Crisp would refuse this path", errors["en/articles/Bad Name.md"], StringComparison.Ordinal);
        Assert.Contains("nest at most", errors["en/articles/a/b/c/too-deep.md"], StringComparison.Ordinal);
        Assert.Contains("not a content type", errors["en/manuals/wrong-type.md"], StringComparison.Ordinal);
        Assert.Contains("Not a Markdown file", errors["en/articles/image.png"], StringComparison.Ordinal);
        Assert.Contains("zip slip", errors["../escape.md"], StringComparison.Ordinal);
        Assert.Contains("not UTF-8", errors["en/articles/latin1.md"], StringComparison.Ordinal);
        Assert.Contains("Locale 'fr' does not exist", errors["bonjour.md"], StringComparison.Ordinal);
        Assert.Equal(13, errors.Count);

        await WaitForSyncAsync(client, body.GetProperty("id").GetString()!);
        Assert.NotNull(HelpdeskHarness.Node(Simulator, website, "good.md"));
        var touched = Simulator.State.GetJournal(website.ToString("D")).Where(e => e.Method != "GET").Select(e => e.Path).ToList();
        Assert.All(touched, path => Assert.Contains("good.md", path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_LongArticles_NonAsciiTextQueuedAsWritten_OneTooLongToQueueRefusedOnItsOwn()
    {
        // Both files are within the file size limit. Escaped as JSON, the Japanese one overflowed the outbox's payload
        // column (each character a six-character escape) and the whole sync answered 500 on PostgreSQL.
        var (website, client) = await InstalledAsync();
        var japanese = string.Concat(Enumerable.Repeat("日本語の説明です。", 2500));
        var files = new Dictionary<string, string>
        {
            ["en/articles/good.md"] = Doc("Good", "Fine.\n"),
            ["en/articles/japanese.md"] = Doc("Japanese", japanese),
            ["en/articles/too-long.md"] = Doc("Too long", string.Concat(Enumerable.Repeat("line\n", 25_000))),
        };

        var (response, body) = await PostSyncAsync(client, Zip(files));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var refused = Assert.Single(body.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == "error");
        Assert.Equal("en/articles/too-long.md", refused.GetProperty("path").GetString());
        Assert.Contains("too long to queue", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("done", (await WaitForSyncAsync(client, body.GetProperty("id").GetString()!)).GetProperty("status").GetString());
        Assert.Equal(japanese, HelpdeskHarness.Node(Simulator, website, "japanese.md")!.Content);
        Assert.NotNull(HelpdeskHarness.Node(Simulator, website, "good.md"));
        Assert.Null(HelpdeskHarness.Node(Simulator, website, "too-long.md"));
    }

    [Fact]
    public async Task Sync_RefusedFileWithALongEmojiName_IsReportedWholeCharacters_Not500()
    {
        // The refused entry's name is cut to the path column's length; a cut in the middle of an emoji left a lone
        // surrogate, which PostgreSQL refuses, and the whole sync answered 500.
        var (_, client) = await InstalledAsync();
        var name = "en/articles/x" + string.Concat(Enumerable.Repeat("\U0001F600", 300)) + ".md";
        var files = new Dictionary<string, string> { ["en/articles/good.md"] = Doc("Good", "Fine.\n"), [name] = Doc("Smile", "x") };

        var (response, body) = await PostSyncAsync(client, Zip(files));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var refused = Assert.Single(body.GetProperty("items").EnumerateArray(), i => i.GetProperty("action").GetString() == "error");
        var path = refused.GetProperty("path").GetString()!;
        Assert.StartsWith("en/articles/x\U0001F600", path, StringComparison.Ordinal);
        Assert.EndsWith("\U0001F600", path, StringComparison.Ordinal);
        Assert.Equal("done", (await WaitForSyncAsync(client, body.GetProperty("id").GetString()!)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task SyncPage_RefusedFiles_ShownWithTheirInputNameOnce()
    {
        var (website, client) = await InstalledAsync();
        var files = new Dictionary<string, string>
        {
            ["en/articles/good.md"] = Doc("Good", "Fine.\n"),
            ["en/articles/broken.md"] = "no front matter\n",
            ["../escape.md"] = Doc("Escape", "x"),
        };
        var id = (await PostSyncAsync(client, Zip(files))).Body.GetProperty("id").GetString()!;
        await WaitForSyncAsync(client, id);
        await Data.UserAsync("viewer@docs.example", website, Features.Members.TenantRole.Viewer);
        var browser = Live.CreateClient();
        await Browser.SignInAsync(browser, "viewer@docs.example");

        var page = await browser.GetStringAsync($"/t/{website:D}/helpdesk/syncs/{id}");

        Assert.Contains("<code>en/articles/good.md</code>", page, StringComparison.Ordinal);
        Assert.Contains("<code>en/articles/broken.md</code>", page, StringComparison.Ordinal);
        Assert.Contains("<code>../escape.md</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("en/articles/en/articles", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_WebsiteWithoutAHelpdeskInCrisp_Is409TellingToCreateIt_NotCrispUnavailable()
    {
        var (website, client) = await InstalledAsync();
        Simulator.State.Read(state =>
        {
            state.FindWebsite(website.ToString("D"))!.Helpdesk.Initialized = false;
            return 0;
        });

        var (response, body) = await PostSyncAsync(client, Zip(Docs()));
        await Data.UserAsync("viewer@docs.example", website, Features.Members.TenantRole.Viewer);
        var browser = Live.CreateClient();
        await Browser.SignInAsync(browser, "viewer@docs.example");
        var page = await browser.GetStringAsync($"/t/{website:D}/helpdesk");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/helpdesk-missing", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("create the helpdesk in Crisp", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, HelpdeskWrites(Simulator, website));
        Assert.Contains("create the helpdesk in Crisp", page, StringComparison.Ordinal);
    }

    private async Task<(Guid Website, HttpClient Client)> InstalledAsync()
    {
        var website = Guid.Parse(Simulator.Install("Docs Co").WebsiteId);
        await Live.WaitForTenantAsync(website);
        var key = await Data.ApiKeyAsync(website);
        return (website, ApiClient(Live.CreateClient(), key.Plaintext));
    }
}

public sealed class HelpdeskSyncTestsOnSqlite(HelpdeskLiveFixture live) : HelpdeskSyncTests(live), IClassFixture<HelpdeskLiveFixture>;

public sealed class HelpdeskSyncTestsOnPostgres(HelpdeskLivePostgresFixture live) : HelpdeskSyncTests(live), IClassFixture<HelpdeskLivePostgresFixture>;
