using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Dashboard;

/// <summary>What a website's admin is told, on every page of the website, when its Crisp calls are not being sent.</summary>
public abstract class DeliveriesPausedBannerTests(IHubFixture fixture) : HubTestBase(fixture)
{
    private static readonly string[] Pages = ["", "/rules", "/rules/new", "/deliveries", "/keys", "/members", "/audit", "/settings"];

    [Fact]
    public async Task PluginQuotaPaused_EveryPageOfTheWebsiteSaysSo()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await OwnerAsync(tenant);
        Assert.DoesNotContain("id=\"deliveries-paused\"", await client.GetStringAsync($"/t/{tenant:D}/rules"), StringComparison.Ordinal);

        await PauseTodayAsync();

        foreach (var page in Pages)
        {
            Assert.Contains("Crisp deliveries are paused", await client.GetStringAsync($"/t/{tenant:D}{page}"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UninstalledWebsite_EveryPageOfTheWebsiteSaysSo()
    {
        var tenant = await Data.TenantAsync("Acme");
        var client = await OwnerAsync(tenant);
        await Data.SetStatusAsync(tenant, TenantStatus.Uninstalled);

        foreach (var page in Pages)
        {
            Assert.Contains("This website uninstalled the plugin", await client.GetStringAsync($"/t/{tenant:D}{page}"), StringComparison.Ordinal);
        }
    }

    private async Task<HttpClient> OwnerAsync(Guid tenant)
    {
        await Data.UserAsync("owner@acme.example", tenant, TenantRole.Owner);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "owner@acme.example");
        return client;
    }

    private async Task PauseTodayAsync()
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PluginQuota>().MarkExhaustedAsync(CancellationToken.None);
    }
}

public sealed class DeliveriesPausedBannerTestsOnSqlite(SqliteHubFixture fixture) : DeliveriesPausedBannerTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class DeliveriesPausedBannerTestsOnPostgres(PostgresHubFixture fixture) : DeliveriesPausedBannerTests(fixture);
