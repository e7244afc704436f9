using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Dashboard;

public abstract class AdministratorViewTests(IHubFixture fixture) : HubTestBase(fixture)
{
    [Fact]
    public async Task Administrator_SeesEveryWebsiteWithQueueFailuresAndQuota()
    {
        var busy = await Data.TenantAsync("Busy Shop");
        await Data.TenantAsync("Quiet Shop");
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(busy);
            var outbox = scope.ServiceProvider.GetRequiredService<CrispCallOutbox>();
            for (var i = 0; i < 3; i++)
            {
                outbox.Enqueue(CrispCallKinds.PeopleEventAdd, new { email = $"u{i}@example.com", text = "x" });
            }

            var dead = outbox.Enqueue(CrispCallKinds.PeopleEventAdd, new { email = "d@example.com", text = "x" });
            dead.Status = CrispCallStatus.Dead;
            dead.CompletedAt = DateTimeOffset.UtcNow;
            await scope.ServiceProvider.GetRequiredService<Web.Infrastructure.Data.HubDbContext>().SaveChangesAsync();
        }

        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, await Data.AdministratorAsync());
        var html = await client.GetStringAsync("/");

        Assert.Contains("All websites", html, StringComparison.Ordinal);
        Assert.Contains("Quiet Shop", html, StringComparison.Ordinal);
        var busyRow = html[html.IndexOf("Busy Shop", StringComparison.Ordinal)..];
        busyRow = busyRow[..busyRow.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("<td>3</td><td>1</td>", busyRow, StringComparison.Ordinal);
        Assert.Contains("Plugin's daily Crisp quota", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebsitesList_IsPagedBy50_AndOddPagesFallBack()
    {
        for (var i = 0; i < 51; i++)
        {
            await Data.TenantAsync($"Shop-{i:000}");
        }

        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, await Data.AdministratorAsync());

        var first = await client.GetStringAsync("/");
        Assert.Equal(50, Rows(first));
        Assert.Contains("Shop-049", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Shop-050", first, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 2", first, StringComparison.Ordinal);
        Assert.Contains("rel=\"next\" href=\"/?page=2\"", first, StringComparison.Ordinal);

        var last = await client.GetStringAsync("/?page=2");
        Assert.Equal(1, Rows(last));
        Assert.Contains("Shop-050", last, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\" href=\"/?page=1\"", last, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", last, StringComparison.Ordinal);

        foreach (var odd in new[] { "0", "-3", "abc", "1.5", "%00" })
        {
            Assert.Contains("Page 1 of 2", await client.GetStringAsync($"/?page={odd}"), StringComparison.Ordinal);
        }

        foreach (var huge in new[] { "3", "2147483648", "99999999999999999999999" })
        {
            Assert.Contains("Shop-050", await client.GetStringAsync($"/?page={huge}"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MembersWebsitesList_CountsOnlyTheirWebsites()
    {
        var mine = await Data.TenantAsync("Mine");
        for (var i = 0; i < 51; i++)
        {
            await Data.TenantAsync($"Other-{i:000}");
        }

        await Data.UserAsync("member@example.com", mine, TenantRole.Viewer);
        var client = Hub.CreateBrowser();
        await Browser.SignInAsync(client, "member@example.com");

        var html = await client.GetStringAsync("/?page=2");
        Assert.Equal(1, Rows(html));
        Assert.Contains("Mine", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Other-", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Page 1 of", html, StringComparison.Ordinal);
    }

    private static int Rows(string html) => html.Split("<td><a href=\"/t/").Length - 1;
}

public sealed class AdministratorViewTestsOnSqlite(SqliteHubFixture fixture) : AdministratorViewTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class AdministratorViewTestsOnPostgres(PostgresHubFixture fixture) : AdministratorViewTests(fixture);
