using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.DashboardPages;

/// <summary>The API keys list in pages of 50: numbered links, odd page values fall back, counts are the website's own.</summary>
public abstract partial class ApiKeysListPagingTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task KeysList_IsPagedBy50_OddPagesFallBack_OtherWebsitesNeitherShowNorCount()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Globex");
        for (var i = 0; i < 51; i++)
        {
            await Data.ApiKeyAsync(tenant, $"Key-{i:000}");
        }

        for (var i = 0; i < 60; i++)
        {
            await Data.ApiKeyAsync(other, $"Foreign-{i:000}");
        }

        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var list = $"/t/{tenant:D}/keys";

        var first = await client.GetStringAsync(list);
        Assert.Equal(50, Names(first).Count);
        Assert.Contains("Page 1 of 2", first, StringComparison.Ordinal);
        Assert.Contains($"rel=\"next\" href=\"{list}?page=2\"", first, StringComparison.Ordinal);

        var last = await client.GetStringAsync($"{list}?page=2");
        Assert.Single(Names(last));
        Assert.Equal(51, Names(first).Concat(Names(last)).Distinct().Count());
        Assert.DoesNotContain("Foreign", first + last, StringComparison.Ordinal);

        foreach (var odd in new[] { "0", "-1", "two", "" })
        {
            Assert.Contains("Page 1 of 2", await client.GetStringAsync($"{list}?page={odd}"), StringComparison.Ordinal);
        }

        Assert.Contains("Page 2 of 2", await client.GetStringAsync($"{list}?page=99999999999999999999"), StringComparison.Ordinal);
    }

    private static List<string> Names(string html) => KeyName().Matches(html).Select(m => m.Value).ToList();

    [GeneratedRegex("<td>Key-[0-9]{3}</td>")]
    private static partial Regex KeyName();
}

public sealed class ApiKeysListPagingTestsOnSqlite(SqliteHubFixture fixture) : ApiKeysListPagingTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class ApiKeysListPagingTestsOnPostgres(PostgresHubFixture fixture) : ApiKeysListPagingTests(fixture);
