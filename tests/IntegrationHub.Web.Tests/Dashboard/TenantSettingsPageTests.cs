using System.Net;
using IntegrationHub.Web.Features.CrispSettings;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Dashboard;

public abstract class TenantSettingsPageTests(IHubFixture fixture) : HubTestBase(fixture)
{
    [Fact]
    public async Task Owner_SavesSettings_StoredQueuedForCrispAndAudited()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");

        var response = await Browser.SubmitAsync(client, $"/t/{tenant:D}/settings", $"/t/{tenant:D}/settings", new Dictionary<string, string>
        {
            ["DisplayName"] = "Acme Shop",
            ["RateBudgetPerMinute"] = "45",
            ["EventsEnabled"] = "true",
            ["RelayEnabled"] = "false",
            ["HelpdeskEnabled"] = "true",
            ["AutoRepliesEnabled"] = "false",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var stored = TenantSettings.Parse((await db.Tenants.SingleAsync()).SettingsJson);
            Assert.Equal(45, stored.RateBudgetPerMinute);
            Assert.False(stored.Features.Relay);
            Assert.Equal("Acme Shop", (await db.Tenants.SingleAsync()).Name);
            var call = await db.Set<CrispCall>().SingleAsync();
            Assert.Equal(CrispCallKinds.PluginSettingsUpdate, call.Kind);
            Assert.Contains("\"rate_budget_per_minute\":45", call.Payload, StringComparison.Ordinal);
            Assert.Equal("settings.saved", (await db.Set<Web.Features.Audit.AuditEntry>().SingleAsync()).Action);
        }
    }

    [Theory]
    [InlineData("5000")]
    [InlineData("2")]
    [InlineData("6")] // one request short of the costliest call
    public async Task Owner_BudgetOutsideLimits_RefusedWithMessage(string budget)
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");

        var response = await Browser.SubmitAsync(client, $"/t/{tenant:D}/settings", $"/t/{tenant:D}/settings", new Dictionary<string, string> { ["RateBudgetPerMinute"] = budget });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Choose between 7 and 120", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(await db.Set<CrispCall>().ToListAsync());
        }
    }

    [Theory]
    [InlineData("Acme\tcorp")]
    [InlineData("Acme\nfake-id\tEvil\tactive")]
    [InlineData("Acme\u0085")]
    public async Task Owner_DisplayNameWithControlCharacters_RefusedNextToTheFieldAndKept(string name)
    {
        // The name is what `tenant list` prints between tabs, one website a line: a tab or line break forged lines.
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");

        var response = await Browser.SubmitAsync(client, $"/t/{tenant:D}/settings", $"/t/{tenant:D}/settings",
            new Dictionary<string, string> { ["DisplayName"] = name, ["RateBudgetPerMinute"] = "30" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<div class=\"field-error\">No tabs, line breaks or other control characters.</div>", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(name)}\"", html, StringComparison.Ordinal);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal("Acme", (await db.Tenants.SingleAsync()).Name);
            Assert.Empty(await db.Set<CrispCall>().ToListAsync());
        }
    }

    [Fact]
    public async Task Editor_SeesSettingsReadOnly()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("editor@acme.example", tenant, TenantRole.Editor);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "editor@acme.example");

        var html = await client.GetStringAsync($"/t/{tenant:D}/settings");

        Assert.Contains("Only owners change settings.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Save settings", html, StringComparison.Ordinal);
    }
}

public sealed class TenantSettingsPageTestsOnSqlite(SqliteHubFixture fixture) : TenantSettingsPageTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class TenantSettingsPageTestsOnPostgres(PostgresHubFixture fixture) : TenantSettingsPageTests(fixture);
