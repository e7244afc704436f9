using IntegrationHub.Web.Features.Delivery;
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
}

public sealed class AdministratorViewTestsOnSqlite(SqliteHubFixture fixture) : AdministratorViewTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class AdministratorViewTestsOnPostgres(PostgresHubFixture fixture) : AdministratorViewTests(fixture);
