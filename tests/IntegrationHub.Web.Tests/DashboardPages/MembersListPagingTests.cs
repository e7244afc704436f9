using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.DashboardPages;

/// <summary>The members page's two tables, each in pages of 50 with its own page parameter, the website's rows only.</summary>
public abstract partial class MembersListPagingTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task MembersAndInvitations_ArePagedBy50_OddPagesFallBack_OtherWebsitesNeitherShowNorCount()
    {
        var tenant = await Data.TenantAsync("Acme");
        var other = await Data.TenantAsync("Globex");
        for (var i = 0; i < 51; i++)
        {
            await Data.UserAsync($"m{i:000}@acme.example", tenant, TenantRole.Viewer);
            await Data.UserAsync($"f{i:000}@globex.example", other, TenantRole.Viewer);
        }

        await InviteAsync(tenant, "i", "acme", 51);
        await InviteAsync(other, "g", "globex", 55);
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var list = $"/t/{tenant:D}/members";

        // 52 members (the viewer sorts last) and 51 invitations: two pages each.
        var first = await client.GetStringAsync(list);
        Assert.Equal(50, Members(first).Count);
        Assert.Equal(50, Invitations(first).Count);
        Assert.Contains($"rel=\"next\" href=\"{list}?page=2\"", first, StringComparison.Ordinal);
        Assert.Contains($"rel=\"next\" href=\"{list}?invitations=2\"", first, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(first, "Page 1 of 2"));
        Assert.DoesNotContain("globex", first, StringComparison.Ordinal);

        var lastMembers = await client.GetStringAsync($"{list}?page=2");
        Assert.Equal(["<td>m050@acme.example</td>"], Members(lastMembers));
        Assert.Contains("<td>viewer@acme.example</td>", lastMembers, StringComparison.Ordinal);

        var lastInvitations = await client.GetStringAsync($"{list}?invitations=2");
        Assert.Single(Invitations(lastInvitations));
        Assert.Equal(51, Invitations(first).Concat(Invitations(lastInvitations)).Distinct().Count());
        Assert.DoesNotContain("globex", lastMembers + lastInvitations, StringComparison.Ordinal);

        foreach (var odd in new[] { "0", "-1", "x", "" })
        {
            var html = await client.GetStringAsync($"{list}?page={odd}&invitations={odd}");
            Assert.Equal(50, Members(html).Count);
            Assert.Equal(50, Invitations(html).Count);
        }

        var far = await client.GetStringAsync($"{list}?page=99999999999999999999&invitations=2147483648");
        Assert.Equal(2, Regex.Count(far, "Page 2 of 2"));
    }

    [Fact]
    public async Task PagerLinks_KeepTheOtherTablesPageAndEveryOtherQueryParameter()
    {
        var tenant = await Data.TenantAsync("Acme");
        for (var i = 0; i < 51; i++)
        {
            await Data.UserAsync($"m{i:000}@acme.example", tenant, TenantRole.Viewer);
        }

        await InviteAsync(tenant, "i", "acme", 51);
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var list = $"/t/{tenant:D}/members";

        // On the second page of invitations, paging the members keeps it, and the other way round.
        var html = await client.GetStringAsync($"{list}?invitations=2");
        Assert.Contains($"rel=\"next\" href=\"{list}?invitations=2&amp;page=2\"", html, StringComparison.Ordinal);
        Assert.Contains($"rel=\"prev\" href=\"{list}?invitations=1\"", html, StringComparison.Ordinal);

        html = await client.GetStringAsync($"{list}?page=2&invitations=2&utm_source=mail&tag=a&tag=b%26c");
        Assert.Equal(["<td>m050@acme.example</td>"], Members(html));
        Assert.Single(Invitations(html));
        Assert.Contains($"rel=\"prev\" href=\"{list}?page=1&amp;invitations=2&amp;utm_source=mail&amp;tag=a&amp;tag=b%26c\"", html, StringComparison.Ordinal);
        Assert.Contains($"rel=\"prev\" href=\"{list}?page=2&amp;invitations=1&amp;utm_source=mail&amp;tag=a&amp;tag=b%26c\"", html, StringComparison.Ordinal);

        // The pager's own parameter is replaced whatever its letter case or repetition; following a link lands where it says.
        html = await client.GetStringAsync($"{list}?PAGE=2&page=9&invitations=2");
        Assert.Contains($"rel=\"prev\" href=\"{list}?page=1&amp;invitations=2\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("PAGE=", html, StringComparison.Ordinal);
        var previous = await client.GetStringAsync($"{list}?page=1&invitations=2");
        Assert.Equal(50, Members(previous).Count);
        Assert.Single(Invitations(previous));
    }

    private async Task InviteAsync(Guid tenant, string prefix, string domain, int count)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var invitations = scope.ServiceProvider.GetRequiredService<MemberInvitations>();
            for (var i = 0; i < count; i++)
            {
                await invitations.InviteAsync($"{prefix}{i:000}@{domain}.example", TenantRole.Viewer, "seed@example.com");
            }

            // The invitation rows are the caller's to save, as the members page does.
            await db.SaveChangesAsync();
        }
    }

    private static List<string> Members(string html) => Member().Matches(html).Select(m => m.Value).ToList();

    private static List<string> Invitations(string html) => Invitation().Matches(html).Select(m => m.Value).ToList();

    [GeneratedRegex("<td>m[0-9]{3}@acme.example</td>")]
    private static partial Regex Member();

    [GeneratedRegex("<td>i[0-9]{3}@acme.example</td>")]
    private static partial Regex Invitation();
}

public sealed class MembersListPagingTestsOnSqlite(SqliteHubFixture fixture) : MembersListPagingTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class MembersListPagingTestsOnPostgres(PostgresHubFixture fixture) : MembersListPagingTests(fixture);
