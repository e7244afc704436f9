using System.Text.Json;
using IntegrationHub.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace IntegrationHub.BrowserTests.Kit;

/// <summary>
/// The frontend kit in a real browser: a hash-routed SPA (tests/kit/spa) that calls init, identify, mergeContext and
/// onOperatorMessage on EVERY route change, loading the kit from the hub's /kit/ and a stand-in Crisp loader.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SpaKitTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int RouteChanges = 20;
    private KestrelHub _hub = null!;

    public Task InitializeAsync()
    {
        _hub = new KestrelHub(staticFolders: new Dictionary<string, string> { ["/spa"] = Path.Combine(RepositoryPaths.Root, "tests", "kit", "spa") });
        _hub.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Theory]
    [InlineData("index.html", "classic")]
    [InlineData("esm.html", "esm")]
    public async Task TwentyRouteChanges_OneLoaderOneHandler_SessionDataMergedNotReplaced(string pageFile, string build)
    {
        var context = await browser.NewContextAsync(_hub.BaseUrl);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };

        await page.GotoAsync($"/spa/{pageFile}");
        await page.WaitForSelectorAsync("html[data-ready='true']");
        string[] routes = ["pricing", "account", "home"];
        for (var i = 0; i < RouteChanges; i++)
        {
            await page.EvaluateAsync("route => { location.hash = '#/' + route; }", routes[i % routes.Length]);
            await page.WaitForSelectorAsync($"body[data-visits='{i + 2}']");
        }

        var snapshot = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.__crispFake.snapshot())")).RootElement;
        Assert.Equal(1, snapshot.GetProperty("loaderLoads").GetInt32());
        Assert.Equal(1, await page.Locator("script[data-crisp-kit]").CountAsync());
        Assert.Equal(1, snapshot.GetProperty("handlers").GetProperty("message:received").GetArrayLength());

        var session = snapshot.GetProperty("sessionData");
        Assert.Equal("pro", session.GetProperty("plan").GetString());          // set before the page ran: kept
        Assert.Equal("acme", session.GetProperty("hub_tenant").GetString());   // set before the page ran: kept
        Assert.Equal(routes[(RouteChanges - 1) % routes.Length], session.GetProperty("route").GetString());
        Assert.Equal(RouteChanges + 1, session.GetProperty("visits").GetInt32());

        // Operator messages reach the page once each; visitor messages do not.
        await page.EvaluateAsync("() => window.__crispFake.receiveMessage({ from: 'operator', content: 'Hi from support' })");
        await page.EvaluateAsync("() => window.__crispFake.receiveMessage({ from: 'user', content: 'visitor echo' })");
        await Assertions.Expect(page.Locator("#operator-messages li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#operator-messages li")).ToHaveTextAsync("Hi from support");

        Assert.Empty(errors);
        await BrowserFixture.SaveAsync(context, page, $"kit-spa-{build}");
        await context.CloseAsync();
    }
}
