using Microsoft.Playwright;

namespace IntegrationHub.BrowserTests.Infrastructure;

/// <summary>
/// Runs one user journey in a fresh, traced browser context: the final page is screenshotted on success; on failure
/// the screenshot and the Playwright trace (open with <c>playwright show-trace</c>) are kept as
/// <c>{name}-failed.*</c> under the test output's browser-artifacts folder, then the failure is rethrown.
/// </summary>
public static class Journey
{
    public static async Task RunAsync(BrowserFixture browser, string baseUrl, string name, Func<IPage, Task> steps)
    {
        foreach (var stale in Directory.EnumerateFiles(BrowserFixture.ArtifactsDirectory, name + "-failed.*"))
        {
            File.Delete(stale); // a failure of an earlier run must not sit next to this run's result
        }

        var context = await browser.NewContextAsync(baseUrl);
        var page = await context.NewPageAsync();
        try
        {
            await steps(page);
            await BrowserFixture.ScreenshotAsync(page, name);
            await context.Tracing.StopAsync();
        }
        catch
        {
            await BrowserFixture.SaveAsync(context, page, name + "-failed");
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>Reloads <paramref name="url"/> until <paramref name="selector"/> contains <paramref name="text"/> (background work a user would wait for).</summary>
    public static async Task ReloadUntilAsync(IPage page, string url, string selector, string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            await page.GotoAsync(url);
            var locator = page.Locator(selector);
            if (await locator.CountAsync() > 0 && (await locator.AllInnerTextsAsync()).Any(t => t.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{url}: '{selector}' never showed '{text}'.");
            }

            await Task.Delay(500);
        }
    }

    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#Email", email);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).Not.ToHaveTextAsync("Sign in");
    }

    /// <summary>Signs the demo owner in, retrying while the demo website is still arriving through the simulator's
    /// install hook and the sync after it (a new user would simply try again).</summary>
    public static async Task SignInAsDemoOwnerAsync(IPage page)
    {
        var demo = IntegrationHub.Web.Infrastructure.Crisp.HubCrispMode.DemoWebsiteId.ToString("D");
        for (var attempt = 0; ; attempt++)
        {
            await page.GotoAsync("/account/login");
            await page.FillAsync("#Email", IntegrationHub.Web.Infrastructure.Crisp.HubCrispMode.DemoOwnerEmail);
            await page.FillAsync("#Password", IntegrationHub.Web.Infrastructure.Crisp.HubCrispMode.DemoOwnerPassword);
            await page.ClickAsync("button[type=submit]");
            if (await page.Locator($"a[href='/t/{demo}']").CountAsync() > 0 || attempt >= 40)
            {
                return;
            }

            await Task.Delay(500);
        }
    }
}
