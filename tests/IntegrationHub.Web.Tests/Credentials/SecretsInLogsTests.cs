using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.Credentials;

/// <summary>A live hub whose every log category is captured at Trace, framework included.</summary>
public sealed class VerboseLiveHubFixture : LiveHubFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:System.Net.Http"] = "Trace",
        ["Logging:LogLevel:Hangfire"] = "Trace",
    };
}

/// <summary>
/// Secrets never reach the logs: a whole live journey (install hook, settings page with a website token and an
/// account link, API key use, hooks good and bad, uninstall) with every log entry captured, then searched for each
/// secret.
/// </summary>
public abstract class SecretsInLogsTestBase(LiveHubFixture live) : LiveHubTestBase(live)
{
    private const string LinkPassword = "Linked-Account-Pass-8841";

    /// <summary>Runs the journey; returns each secret that appears in a log entry, with where.</summary>
    protected async Task<List<(string Secret, CapturedLogs.Entry Entry)>> RunJourneyAndFindSecretsAsync()
    {
        // Install through Crisp's hook, then the settings page with a website token and an account link.
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);
        await Live.WaitForTenantAsync(id);
        var websiteToken = Simulator.Commands.MintWebsiteToken(website.WebsiteId);
        var client = Live.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/crisp/settings?website_id={id:D}&token={Uri.EscapeDataString(website.SubscriptionToken)}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/crisp/settings?website_id={id:D}&token={Uri.EscapeDataString(website.SubscriptionToken)}x")).StatusCode);
        var saved = await client.PostAsync("/crisp/settings", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["WebsiteId"] = website.WebsiteId,
            ["Token"] = website.SubscriptionToken,
            ["RateBudgetPerMinute"] = "40",
            ["WebsiteTokenIdentifier"] = websiteToken.Identifier,
            ["WebsiteTokenKey"] = websiteToken.Key,
            ["LinkEmail"] = "owner@acme.example",
            ["LinkPassword"] = LinkPassword,
        }));
        Assert.Contains("Settings saved.", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The backend's API key, right and wrong.
        var key = await Data.ApiKeyAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(key.Plaintext)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallApiAsync(key.Plaintext + "x")).StatusCode);

        // Hooks: one Crisp delivers (settings saved in its dashboard), one forged with a wrong secret.
        (await Simulator.Admin.PutAsJsonAsync($"websites/{id:D}/settings", new JsonObject { ["settings"] = new JsonObject { ["rate_budget_per_minute"] = 41 } })).EnsureSuccessStatusCode();
        await Eventually.UntilAsync(() => Live.FindTenantAsync(id), t => t!.SettingsJson.Contains("41", StringComparison.Ordinal), "the settings hook");
        var forged = await client.SendAsync(SignedHooks.Request(SignedHooks.Body("plugin:subscription:updated", id, new JsonObject { ["bound"] = false }), secret: "forged-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        // Uninstall (hook), then a refused settings page and API call for it.
        Simulator.Commands.UninstallWebsite(website.WebsiteId);
        await Live.WaitForTenantAsync(id, TenantStatus.Uninstalled);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallApiAsync(key.Plaintext)).StatusCode);

        var secrets = new Dictionary<string, string>
        {
            ["subscription token"] = website.SubscriptionToken,
            ["website token key"] = websiteToken.Key,
            ["API key"] = key.Plaintext,
            ["API key secret part"] = key.Plaintext[^24..],
            ["hook secret"] = LiveSimulator.HookSecret,
            ["plugin key"] = LiveSimulator.PluginKey,
            ["linked account password"] = LinkPassword,
            ["demo owner password"] = HubCrispMode.DemoOwnerPassword,
        };
        var entries = Live.Logs.Entries;
        Assert.True(entries.Count > 5, $"Only {entries.Count} log entries were captured: the capture is not working.");
        Assert.Contains(entries, e => e.Category.StartsWith("IntegrationHub", StringComparison.Ordinal) && e.Message.Contains(website.WebsiteId, StringComparison.OrdinalIgnoreCase));
        return [.. from entry in entries
                   from secret in secrets
                   where entry.AllText.Contains(secret.Value, StringComparison.Ordinal)
                   select (secret.Key, entry)];
    }

    protected static string Describe(IEnumerable<(string Secret, CapturedLogs.Entry Entry)> leaks) =>
        "Secrets in logs:\n" + string.Join("\n", leaks.Select(l => $"{l.Secret} in [{l.Entry.Category}] {l.Entry.Message}").Distinct());

    private async Task<HttpResponseMessage> CallApiAsync(string apiKey)
    {
        using var client = Live.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return await client.GetAsync("/api/v1/tenant");
    }
}

/// <summary>At the hub's configured log levels (what production writes), with the hub's own code at Trace.</summary>
public sealed class SecretsInLogsTests(LiveHubFixture live) : SecretsInLogsTestBase(live), IClassFixture<LiveHubFixture>
{
    [Fact]
    public async Task LiveJourney_ConfiguredLogLevels_NoSecretInAnyEntry()
    {
        var leaks = await RunJourneyAndFindSecretsAsync();
        Assert.True(leaks.Count == 0, Describe(leaks));
    }
}

/// <summary>Every category at Trace, framework included (ASP.NET Core, MVC, EF Core, HttpClient, Hangfire).</summary>
public sealed class SecretsInVerboseLogsTests(VerboseLiveHubFixture live) : SecretsInLogsTestBase(live), IClassFixture<VerboseLiveHubFixture>
{
    [Fact]
    public async Task LiveJourney_EverythingAtTrace_OnlyTheUrlBorneSubscriptionTokenInRequestLogs()
    {
        var leaks = await RunJourneyAndFindSecretsAsync();

        // Crisp opens the settings page with the token in its query string, so ASP.NET Core's own request logging
        // (Information in Microsoft.AspNetCore.Hosting, off in the shipped configuration) and MVC's argument trace
        // of the GET action record it. Nothing else may leak, at any level.
        var allowed = new[] { "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker", "Microsoft.AspNetCore.Routing.Matching.DfaMatcher", "Microsoft.AspNetCore.HttpLogging" };
        var unexpected = leaks.Where(l => !(l.Secret == "subscription token"
            && allowed.Contains(l.Entry.Category)
            && !l.Entry.Message.Contains("SettingsForm", StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, Describe(unexpected));
    }
}
