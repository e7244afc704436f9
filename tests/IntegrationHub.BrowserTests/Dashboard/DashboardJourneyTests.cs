using System.Net.Http.Headers;
using System.Net.Http.Json;
using IntegrationHub.BrowserTests.Infrastructure;
using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IntegrationHub.BrowserTests.Dashboard;

/// <summary>
/// The tenant admin's main pages in a real browser on the demo website (simulator behind it): switch on the
/// support-context preset, create a rule, preview an event, let a backend post events, read the numbers. Each
/// page is screenshotted under the test output's browser-artifacts folder.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private KestrelHub _hub = null!;

    private static string Demo => HubCrispMode.DemoWebsiteId.ToString("D");

    public Task InitializeAsync()
    {
        _hub = new KestrelHub(new Dictionary<string, string?> { ["Crisp:PluginIdentifier"] = "", ["Crisp:PluginKey"] = "" });
        _hub.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task TenantAdmin_PresetRulePreviewEventsReports_AllPagesUsable()
    {
        var context = await browser.NewContextAsync(_hub.BaseUrl);
        var page = await context.NewPageAsync();
        await Journey.SignInAsDemoOwnerAsync(page);

        // Rules: one click for the support-context preset, then a rule of our own through the form.
        await page.GotoAsync($"/t/{Demo}/rules");
        await page.ClickAsync("text=Switch on the support-context preset");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Support context");
        await page.ClickAsync("text=New rule");
        await page.FillAsync("#Name", "Paid orders");
        await page.FillAsync("#Trigger", "order.*");
        await page.FillAsync("input[name='Conditions[0].Field']", "properties.amount");
        await page.SelectOptionAsync("select[name='Conditions[0].Operator']", "GreaterThan");
        await page.FillAsync("input[name='Conditions[0].Value']", "100");
        await page.SelectOptionAsync("#Actions_0_Type", "PeopleEvent");
        await page.FillAsync("#Actions_0_Text", "Paid {{ properties.amount }} EUR");
        await page.SelectOptionAsync("#Actions_0_Color", "green");
        await page.ClickAsync("button[type=submit]:has-text('Save')");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Paid orders");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-rules");

        // Dry run: the exact Crisp calls, nothing sent.
        await page.GotoAsync($"/t/{Demo}/rules/preview");
        await page.ClickAsync("button[type=submit]:has-text('Preview')");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync($"POST /v1/website/{Demo}/people/events/ada%40example.com");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-preview");

        // A backend posts events; the delivery engine sends them to the (simulated) Crisp.
        var client = _hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await ApiKeyAsync());
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/events", new { @event = "order.paid", email = $"buyer{i}@example.com", properties = new { amount = 120 + i, plan_tier = "pro" } });
            response.EnsureSuccessStatusCode();
        }

        await page.GotoAsync($"/t/{Demo}");
        await Assertions.Expect(page.Locator(".metric").First).ToHaveTextAsync("5");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-overview");

        await page.GotoAsync($"/t/{Demo}/reports");
        await Assertions.Expect(page.Locator("svg.chart").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "dashboard-reports");

        // The delivery log fills as the engine sends; each row opens its detail with the attempts.
        await page.GotoAsync($"/t/{Demo}/deliveries");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("buyer0@example.com");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-deliveries");

        await page.GotoAsync($"/t/{Demo}/keys");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("browser test backend");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-keys");

        await page.GotoAsync($"/t/{Demo}/members");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync(HubCrispMode.DemoOwnerEmail);
        await BrowserFixture.ScreenshotAsync(page, "dashboard-members");

        await page.GotoAsync($"/t/{Demo}/audit");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("rule.created");
        await BrowserFixture.ScreenshotAsync(page, "dashboard-audit");

        await page.GotoAsync("/");
        await BrowserFixture.SaveAsync(context, page, "dashboard-home");
    }

    private async Task<string> ApiKeyAsync()
    {
        await using var scope = _hub.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(HubCrispMode.DemoWebsiteId);
        return (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync("browser test backend", CancellationToken.None)).Plaintext;
    }
}
