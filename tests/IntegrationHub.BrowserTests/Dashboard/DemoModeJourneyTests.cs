using IntegrationHub.BrowserTests.Infrastructure;
using IntegrationHub.Web.Infrastructure.Crisp;
using Microsoft.Playwright;

namespace IntegrationHub.BrowserTests.Dashboard;

/// <summary>
/// A new user's first run: no Crisp credentials, so the hub runs on its simulator, installs the demo website
/// through the normal lifecycle, and the demo owner signs in and finds it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoModeJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private KestrelHub _hub = null!;

    public Task InitializeAsync()
    {
        _hub = new KestrelHub(new Dictionary<string, string?> { ["Crisp:PluginIdentifier"] = "", ["Crisp:PluginKey"] = "" });
        _hub.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task FirstRun_DemoOwnerSignsIn_SeesDemoWebsiteWithBannerAndKitSnippet()
    {
        var context = await browser.NewContextAsync(_hub.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Assertions.Expect(page.Locator(".banner")).ToContainTextAsync("Demo mode");

        // The demo website arrives through the simulator's install hook and a sync: wait for it like a user would.
        var demoId = HubCrispMode.DemoWebsiteId.ToString("D");
        await Journey.SignInAsDemoOwnerAsync(page);

        await page.ClickAsync($"a[href='/t/{demoId}']");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Demo Store");
        await Assertions.Expect(page.Locator(".status.active")).ToBeVisibleAsync();
        await BrowserFixture.SaveAsync(context, page, "demo-overview");

        context = await browser.NewContextAsync(_hub.BaseUrl);
        page = await context.NewPageAsync();
        await Journey.SignInAsync(page, HubCrispMode.DemoOwnerEmail, HubCrispMode.DemoOwnerPassword);
        await page.GotoAsync($"/t/{demoId}/kit");
        await Assertions.Expect(page.Locator("pre").First).ToContainTextAsync(demoId);
        await Assertions.Expect(page.Locator(".banner")).ToContainTextAsync("Demo mode");
        await BrowserFixture.SaveAsync(context, page, "demo-kit-page");
    }
}
