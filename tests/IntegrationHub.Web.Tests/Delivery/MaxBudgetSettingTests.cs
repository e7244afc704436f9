using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// One budget maximum: <c>Delivery:MaxBudgetPerMinute</c> is what the settings pages offer and what delivery
/// enforces; the old <c>CrispSettings:MaxBudgetPerMinute</c> is read as its alias, and the two disagreeing stops start-up.
/// </summary>
public sealed class MaxBudgetOptionsTests
{
    private static DeliveryOptions Resolve(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        // Only these settings: a Delivery__* variable in the test run's environment must not change the answers.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddHubDelivery(runJobs: false);
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<DeliveryOptions>>().Value;
    }

    [Fact]
    public void NeitherKey_TheDefaultMaximum() => Assert.Equal(120, Resolve([]).MaxBudgetPerMinute);

    [Fact]
    public void OnlyTheDeliveryKey_IsTheMaximum() => Assert.Equal(200, Resolve(new() { ["Delivery:MaxBudgetPerMinute"] = "200" }).MaxBudgetPerMinute);

    [Fact]
    public void OnlyTheOldKey_StillSetsTheMaximum() => Assert.Equal(300, Resolve(new() { ["CrispSettings:MaxBudgetPerMinute"] = "300" }).MaxBudgetPerMinute);

    [Fact]
    public void BothKeysAgreeing_Accepted() =>
        Assert.Equal(90, Resolve(new() { ["CrispSettings:MaxBudgetPerMinute"] = "90", ["Delivery:MaxBudgetPerMinute"] = "90" }).MaxBudgetPerMinute);

    [Fact]
    public void BothKeysDisagreeing_RefusedNamingBoth()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["CrispSettings:MaxBudgetPerMinute"] = "300", ["Delivery:MaxBudgetPerMinute"] = "200" }));

        var message = Assert.Single(error.Failures);
        Assert.Contains("CrispSettings:MaxBudgetPerMinute (300)", message, StringComparison.Ordinal);
        Assert.Contains("Delivery:MaxBudgetPerMinute (200)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void OldKeyNotANumber_RefusedWithTheReason()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["CrispSettings:MaxBudgetPerMinute"] = "lots" }));

        Assert.Contains(error.Failures, f => f.Contains("CrispSettings:MaxBudgetPerMinute must be a whole number", StringComparison.Ordinal));
    }

    [Fact]
    public void InvalidDeliverySettings_TheFailureSaysWhich()
    {
        // A default above the maximum (here through the old key) names the rule it breaks, not just "invalid".
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["CrispSettings:MaxBudgetPerMinute"] = "20" }));

        Assert.Contains(error.Failures, f => f.Contains("Delivery:DefaultBudgetPerMinute must be >= 7 (the Crisp requests of the costliest call) and <= Delivery:MaxBudgetPerMinute", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultBudgetBelowTheCostliestCall_Refused()
    {
        // A budget of 1 could never hold a call of 3 requests: that contact's queue would stall for good.
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Delivery:DefaultBudgetPerMinute"] = "1" }));

        Assert.Contains(error.Failures, f => f.Contains("Delivery:DefaultBudgetPerMinute must be >= 7", StringComparison.Ordinal));
    }

    [Fact]
    public void WebsiteBudgetBelowTheCostliestCall_RaisedToIt() =>
        Assert.Equal(DeliveryOptions.MinBudgetPerMinute, Resolve([]).BudgetPerMinute("""{"rate_budget_per_minute":1}"""));
}

/// <summary>A hub whose maximum was raised with the old key alone and whose default was raised too.</summary>
public sealed class RaisedMaxBudgetFixture : SqliteHubFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["CrispSettings:MaxBudgetPerMinute"] = "300",
        ["Delivery:DefaultBudgetPerMinute"] = "45",
    };
}

public sealed class RaisedMaxBudgetTests(RaisedMaxBudgetFixture fixture) : HubTestBase(fixture), IClassFixture<RaisedMaxBudgetFixture>
{
    [Fact]
    public async Task SettingsPageAcceptsUpToTheMaximum_AndDeliveryHonoursIt()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");

        var above = await Browser.SubmitAsync(client, $"/t/{tenant:D}/settings", $"/t/{tenant:D}/settings", new Dictionary<string, string> { ["RateBudgetPerMinute"] = "301" });
        var within = await Browser.SubmitAsync(client, $"/t/{tenant:D}/settings", $"/t/{tenant:D}/settings", new Dictionary<string, string> { ["RateBudgetPerMinute"] = "250" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, above.StatusCode);
        Assert.Contains("Choose between 7 and 300", await above.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, within.StatusCode);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var drain = scope.ServiceProvider.GetRequiredService<DeliveryDrain>();
            Assert.Equal(250, drain.ConfiguredBudget(db.Tenants.Single().SettingsJson));
            Assert.Equal(300, drain.ConfiguredBudget("""{"rate_budget_per_minute":1000}"""));
        }
    }

    [Fact]
    public async Task NoBudgetChosen_SettingsPageOffersTheHubDefault()
    {
        // The form used to show a built-in 30 whatever the hub's default.
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");

        var html = await client.GetStringAsync($"/t/{tenant:D}/settings");

        Assert.Contains("name=\"RateBudgetPerMinute\" type=\"number\" min=\"7\" max=\"300\" value=\"45\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoBudgetChosen_SavingOtherFieldsKeepsFollowingTheHubDefault_ChoosingOneStoresIt()
    {
        // Saving the page as shown (the hub default in the budget field) must not write that default into the
        // website's settings: it would stay pinned to today's default when the operator changes it.
        var tenant = await Data.TenantAsync("Acme");
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");
        var page = $"/t/{tenant:D}/settings";

        var renamed = await Browser.SubmitAsync(client, page, page, new Dictionary<string, string> { ["RateBudgetPerMinute"] = "45", ["DisplayName"] = "Acme Shop" });
        var afterRename = await SettingsJsonAsync(tenant);
        var chosen = await Browser.SubmitAsync(client, page, page, new Dictionary<string, string> { ["RateBudgetPerMinute"] = "60", ["DisplayName"] = "Acme Shop" });
        var afterChoice = await SettingsJsonAsync(tenant);
        var backToDefault = await Browser.SubmitAsync(client, page, page, new Dictionary<string, string> { ["RateBudgetPerMinute"] = "45", ["DisplayName"] = "Acme Shop" });

        Assert.All([renamed, chosen, backToDefault], r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Contains("\"display_name\":\"Acme Shop\"", afterRename, StringComparison.Ordinal);
        Assert.DoesNotContain("rate_budget_per_minute", afterRename, StringComparison.Ordinal);
        Assert.Contains("\"rate_budget_per_minute\":60", afterChoice, StringComparison.Ordinal);
        // Once chosen, 45 is a choice like any other.
        Assert.Contains("\"rate_budget_per_minute\":45", await SettingsJsonAsync(tenant), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnusableStoredBudget_SavingWithTheDefaultShownDropsIt_SoTheSavedFeaturesAreRead()
    {
        // Written by hand in Crisp as a string: delivery ignores it, and reading the settings failed on it.
        var tenant = await Data.TenantAsync("Acme");
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            (await db.Tenants.SingleAsync()).SettingsJson = """{"rate_budget_per_minute":"45","features":{"events":true},"kept":1}""";
            await db.SaveChangesAsync();
        }

        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");
        var page = $"/t/{tenant:D}/settings";
        var saved = await Browser.SubmitAsync(client, page, page, new Dictionary<string, string> { ["RateBudgetPerMinute"] = "45", ["EventsEnabled"] = "false" });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var json = await SettingsJsonAsync(tenant);
        Assert.DoesNotContain("rate_budget_per_minute", json, StringComparison.Ordinal);
        Assert.Contains("\"kept\":1", json, StringComparison.Ordinal);
        Assert.False(Web.Features.CrispSettings.TenantSettings.Parse(json).Features.Events);
    }

    private async Task<string> SettingsJsonAsync(Guid tenant)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return (await db.Tenants.AsNoTracking().SingleAsync()).SettingsJson ?? string.Empty;
        }
    }

    [Fact]
    public async Task BudgetAboveTheMaximum_PreviewAndOverviewShowWhatDeliveryKeeps()
    {
        // A budget written in Crisp's own settings is not checked by the hub's form; delivery clamps it, and so must
        // every number shown for it.
        var tenant = await Data.TenantAsync("Acme");
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            (await db.Tenants.SingleAsync()).SettingsJson = """{"rate_budget_per_minute":1000,"features":{"events":true}}""";
            await db.SaveChangesAsync();
            var overview = await scope.ServiceProvider.GetRequiredService<Web.Features.Reports.TenantMetrics>().OverviewAsync(CancellationToken.None);
            Assert.Equal(300, overview.BudgetPerMinute);
        }

        var key = await Data.ApiKeyAsync(tenant);
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        var response = await client.PostAsJsonAsync("/api/v1/rules/preview", new { @event = new { @event = "order.paid", email = "x@y.example" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(300, json.RootElement.GetProperty("cost").GetProperty("budget_per_minute").GetInt32());
    }
}
