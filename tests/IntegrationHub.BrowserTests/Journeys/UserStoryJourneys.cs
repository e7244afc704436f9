using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationHub.BrowserTests.Infrastructure;
using IntegrationHub.Web.Features.Members;
using Microsoft.Playwright;

namespace IntegrationHub.BrowserTests.Journeys;

/// <summary>
/// One journey per user story of the product, in a real browser against the hub on loopback, each asserting what
/// the page shows and what reached the (simulated) Crisp. Final pages are screenshotted; failures keep a trace.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UserStoryJourneys(BrowserFixture browser, JourneyHub hub) : IClassFixture<JourneyHub>
{
    [Fact]
    public async Task Story1_WebsiteInstallsPlugin_CrispOpensSettings_AdminLinksAccount() =>
        await Journey.RunAsync(browser, hub.BaseUrl, "journey-1-install-and-link", async page =>
        {
            var website = await hub.InstallAsync("Northwind Books");
            var id = Guid.Parse(website.WebsiteId);
            const string admin = "admin@northwind.example";

            // Crisp opens the plugin's settings page with the website's subscription token.
            await page.GotoAsync($"/crisp/settings?website_id={id:D}&token={Uri.EscapeDataString(website.SubscriptionToken)}&locale=en");
            // Crisp does not tell plugins a website's name: the admin gives it one here.
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"IntegrationHub for Website {id.ToString("D")[..8]}");
            await page.FillAsync("#DisplayName", "Northwind Books");
            await page.FillAsync("#RateBudgetPerMinute", "40");
            await page.FillAsync("#LinkEmail", admin);
            await page.ClickAsync("button[type=submit]:has-text('Save settings')");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Settings saved.");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync(admin);
            Assert.Equal(1, hub.JournalCount(id, "PATCH", $"/plugins/subscription/{id:D}/"));

            // A new address gets a passwordless account and a one-time link to choose its password.
            await page.GotoAsync(await page.InputValueAsync("#invite-link"));
            await page.FillAsync("#Password", JourneyHub.Password);
            await page.FillAsync("#ConfirmPassword", JourneyHub.Password);
            await page.ClickAsync("button[type=submit]:has-text('Set password')");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Password set");

            // The linked account signs in to the dashboard and finds the website as its owner.
            await Journey.SignInAsync(page, admin, JourneyHub.Password);
            await page.ClickAsync($"a[href='/t/{id:D}']");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Northwind Books");
            await Assertions.Expect(page.Locator(".status.active")).ToBeVisibleAsync();
            await page.GotoAsync($"/t/{id:D}/members");
            await Assertions.Expect(page.Locator("table")).ToContainTextAsync(admin);
            await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Owner");
        });

    [Fact]
    public async Task Story2_SignIn_CreateKey_PresetAndPeopleEventRule_PreviewSample() =>
        await Journey.RunAsync(browser, hub.BaseUrl, "journey-2-key-rule-preview", async page =>
        {
            var (site, owner) = await hub.WebsiteWithOwnerAsync("Story Two Shop");
            await Journey.SignInAsync(page, owner, JourneyHub.Password);

            await page.GotoAsync($"/t/{site:D}/keys");
            await page.FillAsync("#name", "billing backend");
            await page.ClickAsync("button[type=submit]:has-text('Create key')");
            var key = await page.InputValueAsync("#plaintext");
            Assert.False(string.IsNullOrWhiteSpace(key));
            await page.ClickAsync("text=Done");
            await Assertions.Expect(page.Locator("table")).ToContainTextAsync("billing backend");
            Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal); // shown once only

            await CreateRulesAsync(page, site);

            await page.GotoAsync($"/t/{site:D}/rules/preview");
            await page.FillAsync("#eventJson", """{"event":"order.paid","email":"ada@example.com","properties":{"amount":150,"plan_tier":"pro"}}""");
            await page.ClickAsync("button[type=submit]:has-text('Preview')");
            var body = page.Locator("body");
            await Assertions.Expect(body).ToContainTextAsync($"POST /v1/website/{site:D}/people/events/ada%40example.com");
            await Assertions.Expect(body).ToContainTextAsync("Paid 150 EUR");
            await Assertions.Expect(body).ToContainTextAsync($"/v1/website/{site:D}/people/data/ada%40example.com");
            Assert.Equal(0, hub.JournalCount(site, "POST", "/people/events/")); // a preview sends nothing

            // The key the page showed works for the backend, for this website only.
            using var api = Api(key);
            var tenant = await api.GetStringAsync("/api/v1/tenant");
            Assert.Contains(site.ToString("D"), tenant, StringComparison.Ordinal);
        });

    [Fact]
    public async Task Story3_BackendPostsEventsAndContext_DeliveryLogShowsSent_CrispHoldsEventDataAndSessionData() =>
        await Journey.RunAsync(browser, hub.BaseUrl, "journey-3-events-delivered", async page =>
        {
            var (site, owner) = await hub.WebsiteWithOwnerAsync("Story Three Shop");
            await Journey.SignInAsync(page, owner, JourneyHub.Password);
            await CreateRulesAsync(page, site);
            const string email = "grace@example.com";
            hub.Simulator.SendVisitorMessage(site.ToString("D"), "Hello, my export keeps failing", email: email, nickname: "Grace");

            using var api = Api(await hub.ApiKeyAsync(site));
            var posted = await api.PostAsJsonAsync("/api/v1/events", new { @event = "order.paid", email, properties = new { amount = 240, plan_tier = "pro" } });
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
            var context = await api.PatchAsJsonAsync($"/api/v1/contacts/{email}/context", new { data = new { account_age_days = 420, recent_errors = "export_timeout" } });
            Assert.Equal(HttpStatusCode.Accepted, context.StatusCode);

            // The delivery log fills as the engine sends; nothing is left queued, retrying or dead.
            await Journey.ReloadUntilAsync(page, $"/t/{site:D}/deliveries?status=sent", "table.deliveries", "people.event.add");
            await Journey.ReloadUntilAsync(page, $"/t/{site:D}/deliveries?status=sent", "table.deliveries", "session.data.merge");
            await WaitForAsync(() => hub.Contact(site, email) is { PeopleEvents.Count: > 0, SessionData: not null } c && c.SessionData.ContainsKey("account_age_days") && c.SessionData.ContainsKey("plan_tier"));
            await page.GotoAsync($"/t/{site:D}/deliveries");
            await Assertions.Expect(page.Locator("table.deliveries")).Not.ToContainTextAsync("dead");
            await Assertions.Expect(page.Locator("table.deliveries")).Not.ToContainTextAsync("queued");

            var crisp = hub.Contact(site, email);
            Assert.Contains("Paid 240 EUR", crisp.PeopleEvents);
            Assert.Equal("pro", crisp.PeopleData!["plan_tier"]!.ToString());
            Assert.Equal("420", crisp.PeopleData["account_age_days"]!.ToString());
            Assert.Equal("export_timeout", crisp.SessionData!["recent_errors"]!.ToString());
            Assert.Equal("pro", crisp.SessionData["plan_tier"]!.ToString());
        });

    [Fact]
    public async Task Story4_DeadLetterFromCrispFault_ReplayedFromDashboard_Sent() =>
        await Journey.RunAsync(browser, hub.BaseUrl, "journey-4-dead-letter-replay", async page =>
        {
            var (site, owner) = await hub.WebsiteWithOwnerAsync("Story Four Shop");
            await Journey.SignInAsync(page, owner, JourneyHub.Password);
            await CreateRulesAsync(page, site);
            const string email = "linus@example.com";

            // Crisp answers 503 to everything for this website: the call retries, then is dead-lettered with the reason.
            SetFaults(site, errorRate: 1);
            using var api = Api(await hub.ApiKeyAsync(site));
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/v1/events", new { @event = "order.paid", email, properties = new { amount = 310 } })).StatusCode);
            await Journey.ReloadUntilAsync(page, $"/t/{site:D}/deliveries?status=dead", "table.deliveries", "people.event.add");
            await Assertions.Expect(page.Locator("table.deliveries")).ToContainTextAsync("503");
            Assert.Empty(hub.Contact(site, email).PeopleEvents);

            // Crisp recovers; the admin replays the dead call from its detail page.
            SetFaults(site, errorRate: 0);
            await page.ClickAsync("table.deliveries tbody tr:has-text('people.event.add') a");
            await page.ClickAsync("button:has-text('Replay this call')");
            var detail = page.Url;
            await Journey.ReloadUntilAsync(page, detail, "h1", "sent");
            await WaitForAsync(() => hub.Contact(site, email).PeopleEvents.Contains("Paid 310 EUR"));
            Assert.Equal(1, hub.Contact(site, email).PeopleEvents.Count(e => e == "Paid 310 EUR"));
        });

    [Fact]
    public async Task Story5_HelpdeskArticle_WrittenInMarkdown_PreviewedSafely_Published() =>
        await Journey.RunAsync(browser, hub.BaseUrl, "journey-5-helpdesk-publish", async page =>
        {
            var (site, owner) = await hub.WebsiteWithOwnerAsync("Story Five Shop");
            await Journey.SignInAsync(page, owner, JourneyHub.Password);
            var scriptRan = false;
            page.Dialog += async (_, dialog) =>
            {
                scriptRan = true;
                await dialog.DismissAsync();
            };

            await page.GotoAsync($"/t/{site:D}/helpdesk/edit?locale=en&type=articles");
            await page.FillAsync("#Folder", "getting-started");
            await page.FillAsync("#Slug", "first-steps");
            await page.FillAsync("#Title", "First steps");
            await page.FillAsync("#Description", "Set up your account in five minutes");
            // Typed, not filled: the live preview follows the author's keystrokes.
            await page.Locator("#Markdown").PressSequentiallyAsync(
                "# Welcome aboard\n\nOpen **Settings** first.\n\n<script>alert('x')</script>\n<img src=x onerror=\"alert('y')\">\n\n[click](javascript:alert('z'))\n");
            var preview = page.Locator("#preview");
            await Assertions.Expect(preview.Locator("h1")).ToHaveTextAsync("Welcome aboard");
            await Assertions.Expect(preview.Locator("strong")).ToHaveTextAsync("Settings");
            await Assertions.Expect(preview.Locator("script")).ToHaveCountAsync(0);
            await Assertions.Expect(preview.Locator("text=click")).ToBeVisibleAsync();
            await Assertions.Expect(preview.Locator("[onerror]")).ToHaveCountAsync(0);
            await Assertions.Expect(preview.Locator("a[href^='javascript' i]")).ToHaveCountAsync(0);

            await page.ClickAsync("button:has-text('Save draft')");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Draft saved.");
            Assert.Equal(0, hub.JournalCount(site, "PUT", "/helpdesk/")); // a draft stays in the hub

            await page.ClickAsync("button:has-text('Publish')");
            var progress = page.Url;
            Assert.Contains("/helpdesk/syncs/", progress, StringComparison.Ordinal);
            await Journey.ReloadUntilAsync(page, progress, "#sync-status", "done");
            Assert.False(scriptRan, "A script from the article ran in the dashboard.");

            var published = hub.SimulatorState.Read(state =>
            {
                var root = state.FindWebsite(site.ToString("D"))!.Helpdesk.FindLocale("en")!.Tree("articles");
                var folder = root.Children.Single(c => c.Slug == "getting-started");
                var file = folder.Children.Single(c => c.Slug == "first-steps.md" || c.Slug == "first-steps");
                return (file.Metadata.Title, file.Metadata.Description, file.Metadata.Published, file.Content);
            });
            Assert.Equal("First steps", published.Title);
            Assert.Equal("Set up your account in five minutes", published.Description);
            Assert.True(published.Published);
            Assert.Contains("# Welcome aboard", published.Content, StringComparison.Ordinal);

            // The tree shows it as Crisp holds it.
            await page.GotoAsync($"/t/{site:D}/helpdesk?locale=en&type=articles");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("First steps");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("published");
        });

    [Fact]
    public async Task Story6_ViewerCannotEdit_MemberOfAnotherTenantGets404() =>
        await Journey.RunAsync(browser, hub.BaseUrl, "journey-6-roles-and-isolation", async page =>
        {
            var (site, _) = await hub.WebsiteWithOwnerAsync("Story Six Shop");
            var viewer = $"viewer-{site:N}@example.com";
            await hub.UserAsync(viewer, site, TenantRole.Viewer);
            var (other, outsider) = await hub.WebsiteWithOwnerAsync("Someone Else's Shop");

            await Journey.SignInAsync(page, viewer, JourneyHub.Password);
            await page.GotoAsync($"/t/{site:D}/rules");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Story Six Shop");
            await Assertions.Expect(page.Locator("text=New rule")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("text=Switch on the support-context preset")).ToHaveCountAsync(0);
            await page.GotoAsync($"/t/{site:D}/keys");
            await Assertions.Expect(page.Locator("button:has-text('Create key')")).ToHaveCountAsync(0);
            var editor = await page.GotoAsync($"/t/{site:D}/rules/new");
            Assert.Equal((int)HttpStatusCode.Forbidden, editor!.Status);
            await page.GotoAsync("/");
            await Assertions.Expect(page.Locator($"a[href='/t/{other:D}']")).ToHaveCountAsync(0);

            // A member of another website: this website's pages do not exist for them.
            await page.Context.ClearCookiesAsync();
            await Journey.SignInAsync(page, outsider, JourneyHub.Password);
            foreach (var path in new[] { "", "/rules", "/deliveries", "/keys", "/members", "/settings" })
            {
                var response = await page.GotoAsync($"/t/{site:D}{path}");
                Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
                await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("Story Six Shop");
            }

            await page.GotoAsync($"/t/{other:D}");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Someone Else's Shop");
        });

    /// <summary>The support-context preset and a people-event rule for paid orders, through the rules pages.</summary>
    private static async Task CreateRulesAsync(IPage page, Guid site)
    {
        await page.GotoAsync($"/t/{site:D}/rules");
        await page.ClickAsync("text=Switch on the support-context preset");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Support context");
        await page.ClickAsync("text=New rule");
        await page.FillAsync("#Name", "Paid orders");
        await page.FillAsync("#Trigger", "order.paid");
        await page.SelectOptionAsync("#Actions_0_Type", "PeopleEvent");
        await page.FillAsync("#Actions_0_Text", "Paid {{ properties.amount }} EUR");
        await page.SelectOptionAsync("#Actions_0_Color", "green");
        await page.ClickAsync("button[type=submit]:has-text('Save')");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Paid orders");
    }

    private HttpClient Api(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private void SetFaults(Guid site, double errorRate)
    {
        lock (hub.SimulatorState.Sync)
        {
            hub.SimulatorState.Faults.WebsiteId = site.ToString("D");
            hub.SimulatorState.Faults.ErrorStatus = 503;
            hub.SimulatorState.Faults.ErrorRate = errorRate;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The simulated Crisp never reached the expected state.");
            }

            await Task.Delay(250);
        }
    }
}
