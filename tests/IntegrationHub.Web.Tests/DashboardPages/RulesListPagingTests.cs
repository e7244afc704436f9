using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DashboardPages;

/// <summary>The rules list in pages of 50: numbered links, odd page values fall back, counts are the website's own.</summary>
public abstract class RulesListPagingTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task RulesList_IsPagedBy50_OddPagesFallBack_OtherWebsitesNeitherShowNorCount()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Globex");
        await RulesAsync(tenant, "Rule", 51);
        await RulesAsync(other, "Foreign", 60);
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var list = $"/t/{tenant:D}/rules";

        var first = await client.GetStringAsync(list);
        Assert.Equal(50, Rows(first, tenant));
        Assert.Contains("Page 1 of 2", first, StringComparison.Ordinal);
        Assert.Contains($"rel=\"next\" href=\"{list}?page=2\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Rule-050", first, StringComparison.Ordinal);

        var last = await client.GetStringAsync($"{list}?page=2");
        Assert.Equal(1, Rows(last, tenant));
        Assert.Contains("Rule-050", last, StringComparison.Ordinal);
        Assert.DoesNotContain("Foreign", first + last, StringComparison.Ordinal);

        foreach (var odd in new[] { "0", "-1", "x", "" })
        {
            Assert.Contains("Page 1 of 2", await client.GetStringAsync($"{list}?page={odd}"), StringComparison.Ordinal);
        }

        Assert.Contains("Page 2 of 2", await client.GetStringAsync($"{list}?page=99999999999999999999"), StringComparison.Ordinal);
    }

    private async Task RulesAsync(Guid tenant, string prefix, int count)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var rules = scope.ServiceProvider.GetRequiredService<RuleService>();
            for (var i = 0; i < count; i++)
            {
                var result = await rules.CreateAsync($"{prefix}-{i:000}", new RuleDefinition
                {
                    Trigger = "order.*",
                    Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Paid" }],
                }, "seed", CancellationToken.None);
                Assert.True(result.Succeeded);
            }
        }
    }

    private static int Rows(string html, Guid tenant) => html.Split($"<td><a href=\"/t/{tenant:D}/rules/").Length - 1;
}

public sealed class RulesListPagingTestsOnSqlite(SqliteHubFixture fixture) : RulesListPagingTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class RulesListPagingTestsOnPostgres(PostgresHubFixture fixture) : RulesListPagingTests(fixture);
