using System.Net;
using System.Text.RegularExpressions;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Tests.Infrastructure;

namespace IntegrationHub.Web.Tests.DashboardPages;

public abstract class DeliveryLogPageTests(IHubFixture fixture) : DashboardPageTestBase(fixture)
{
    [Fact]
    public async Task List_Viewer_SeesCallsNewestFirstWithStatusAndReason()
    {
        var tenant = await Data.TenantAsync("Acme");
        var first = await CallAsync(tenant, CrispCallStatus.Sent);
        var second = await CallAsync(tenant, CrispCallStatus.Dead, "bob@example.com", reason: "session_not_found");
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);

        var html = await client.GetStringAsync($"/t/{tenant:D}/deliveries");

        Assert.Equal([second, first], Ids(html, tenant));
        Assert.Contains("<span class=\"status dead\">dead</span>", html, StringComparison.Ordinal);
        Assert.Contains("session_not_found", html, StringComparison.Ordinal);
        Assert.Contains("bob@example.com", html, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"", html, StringComparison.Ordinal);
        // A Viewer is offered no replay.
        Assert.DoesNotContain("/deliveries/replay", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Filters_ByStatusEventContactAndTimeRange()
    {
        var tenant = await Data.TenantAsync("Acme");
        var paid = await EventAsync(tenant, "order.paid");
        var signup = await EventAsync(tenant, "user.signup");
        var old = await CallAsync(tenant, CrispCallStatus.Sent, "ada@example.com", paid, createdAt: new DateTimeOffset(2026, 1, 10, 12, 0, 0, TimeSpan.Zero));
        var deadAda = await CallAsync(tenant, CrispCallStatus.Dead, "ada@example.com", signup);
        var deadBob = await CallAsync(tenant, CrispCallStatus.Dead, "bob@example.com", paid);
        var queuedBob = await CallAsync(tenant, CrispCallStatus.Queued, "bob@example.com");
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var list = $"/t/{tenant:D}/deliveries";

        Assert.Equal([deadBob, deadAda], Ids(await client.GetStringAsync($"{list}?status=dead"), tenant));
        Assert.Equal([deadBob, old], Ids(await client.GetStringAsync($"{list}?event=order.paid"), tenant));
        Assert.Equal([deadAda], Ids(await client.GetStringAsync($"{list}?event={signup:D}"), tenant));
        Assert.Equal([queuedBob, deadBob], Ids(await client.GetStringAsync($"{list}?contact=BOB@example.com"), tenant));
        Assert.Equal([old], Ids(await client.GetStringAsync($"{list}?from=2026-01-10T00:00&to=2026-01-11T00:00"), tenant));
        Assert.Equal([queuedBob, deadBob, deadAda], Ids(await client.GetStringAsync($"{list}?from=2026-01-11T00:00"), tenant));
        Assert.Equal([deadBob], Ids(await client.GetStringAsync($"{list}?status=dead&event=order.paid&contact=bob@example.com"), tenant));

        var invalid = await client.GetAsync($"{list}?from=yesterday&status=lost");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        var html = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("Unknown status.", html, StringComparison.Ordinal);
        Assert.Contains("Use a date and time", html, StringComparison.Ordinal);
        Assert.Empty(Ids(html, tenant));
    }

    [Fact]
    public async Task List_Pages_By50_OlderAndNewerKeepTheFilter()
    {
        var tenant = await Data.TenantAsync("Acme");
        var ids = new List<long>();
        for (var i = 0; i < 120; i++)
        {
            ids.Add(await CallAsync(tenant, i % 2 == 0 ? CrispCallStatus.Sent : CrispCallStatus.Dead));
        }

        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var newestFirst = Enumerable.Reverse(ids).ToList();

        var page1 = await client.GetStringAsync($"/t/{tenant:D}/deliveries");
        Assert.Equal(newestFirst.Take(50), Ids(page1, tenant));
        var page2 = await client.GetStringAsync(Link(page1, "next"));
        Assert.Equal(newestFirst.Skip(50).Take(50), Ids(page2, tenant));
        var page3 = await client.GetStringAsync(Link(page2, "next"));
        Assert.Equal(newestFirst.Skip(100), Ids(page3, tenant));
        Assert.Null(TryLink(page3, "next"));
        var back = await client.GetStringAsync(Link(page3, "prev"));
        Assert.Equal(newestFirst.Skip(50).Take(50), Ids(back, tenant));
        Assert.Null(TryLink(page1, "prev"));

        // With a filter: 60 dead calls, two pages, the filter carried by the links.
        var dead = newestFirst.Where((_, i) => i % 2 == 0).ToList();
        var filtered1 = await client.GetStringAsync($"/t/{tenant:D}/deliveries?status=dead");
        Assert.Equal(dead.Take(50), Ids(filtered1, tenant));
        var olderLink = Link(filtered1, "next");
        Assert.Contains("status=dead", olderLink, StringComparison.Ordinal);
        Assert.Equal(dead.Skip(50), Ids(await client.GetStringAsync(olderLink), tenant));
    }

    [Fact]
    public async Task Detail_ShowsPayloadAndEveryAttemptWithRequestAndResponse()
    {
        var tenant = await Data.TenantAsync("Acme");
        var id = await CallAsync(tenant, CrispCallStatus.Dead, "ada@example.com");
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            db.Set<CrispCallAttempt>().Add(new CrispCallAttempt
            {
                CallId = id, Number = 1, StartedAt = DateTimeOffset.UtcNow, DurationMs = 42, Outcome = "dead", HttpStatus = 400, Reason = "invalid_data",
                Request = "POST /v1/website/x/people/events/ada%40example.com {\"text\":\"Paid\"}", Response = "{\"error\":true,\"reason\":\"invalid_data\"}",
            });
            await db.SaveChangesAsync();
        }

        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/t/{tenant:D}/deliveries/{id}"));

        Assert.Contains("\"text\": \"Paid\"", html, StringComparison.Ordinal);
        Assert.Contains("Attempt 1", html, StringComparison.Ordinal);
        Assert.Contains("POST /v1/website/x/people/events/ada%40example.com", html, StringComparison.Ordinal);
        Assert.Contains("{\"error\":true,\"reason\":\"invalid_data\"}", html, StringComparison.Ordinal);
        Assert.Contains("42 ms", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Replay this call", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/t/{tenant:D}/deliveries/{id + 1000}")).StatusCode);
    }

    [Fact]
    public async Task ReplayOne_Editor_RequeuesTheDeadCallAndAudits()
    {
        var tenant = await Data.TenantAsync("Acme");
        var dead = await CallAsync(tenant, CrispCallStatus.Dead);
        var otherDead = await CallAsync(tenant, CrispCallStatus.Dead);
        var sent = await CallAsync(tenant, CrispCallStatus.Sent);
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var detail = $"/t/{tenant:D}/deliveries/{dead}";
        Assert.Contains("Replay this call", await client.GetStringAsync(detail), StringComparison.Ordinal);

        var html = await FollowAsync(client, await PostAsync(client, detail, $"{detail}/replay"));

        Assert.Contains($"Call {dead} re-queued", html, StringComparison.Ordinal);
        var statuses = await StatusesAsync(tenant);
        Assert.Equal(CrispCallStatus.Queued, statuses[dead]);
        Assert.Equal(CrispCallStatus.Dead, statuses[otherDead]);
        Assert.Equal(CrispCallStatus.Sent, statuses[sent]);
        var entry = Assert.Single(await AuditAsync(tenant));
        Assert.Equal(("editor@acme.example", "delivery.replayed", $"call {dead}"), (entry.Actor, entry.Action, entry.Target));

        // A call that is not dead is left alone, and nothing is audited.
        var again = await FollowAsync(client, await PostAsync(client, $"/t/{tenant:D}/deliveries/{sent}", $"/t/{tenant:D}/deliveries/{sent}/replay"));
        Assert.Contains("only dead calls can be replayed", again, StringComparison.Ordinal);
        Assert.Equal(CrispCallStatus.Sent, (await StatusesAsync(tenant))[sent]);
        Assert.Single(await AuditAsync(tenant));
    }

    [Fact]
    public async Task ReplayMatching_Owner_RequeuesOnlyDeadCallsOfTheFilterAndTenant()
    {
        var tenantA = await Data.TenantAsync("Acme");
        var tenantB = await Data.TenantAsync("Globex");
        var deadBob1 = await CallAsync(tenantA, CrispCallStatus.Dead, "bob@example.com");
        var deadBob2 = await CallAsync(tenantA, CrispCallStatus.Dead, "bob@example.com");
        var sentBob = await CallAsync(tenantA, CrispCallStatus.Sent, "bob@example.com");
        var retryingBob = await CallAsync(tenantA, CrispCallStatus.Retrying, "bob@example.com");
        var deadAda = await CallAsync(tenantA, CrispCallStatus.Dead, "ada@example.com");
        var deadBobOfB = await CallAsync(tenantB, CrispCallStatus.Dead, "bob@example.com");
        var client = await MemberAsync(tenantA, "owner@acme.example", TenantRole.Owner);
        var list = $"/t/{tenantA:D}/deliveries?contact=bob@example.com";
        Assert.Contains("<strong>2</strong> dead calls match", await client.GetStringAsync(list), StringComparison.Ordinal);

        var html = await FollowAsync(client, await PostAsync(client, list, $"/t/{tenantA:D}/deliveries/replay", ("contact", "bob@example.com")));

        Assert.Contains("2 dead calls re-queued.", html, StringComparison.Ordinal);
        var a = await StatusesAsync(tenantA);
        Assert.Equal(CrispCallStatus.Queued, a[deadBob1]);
        Assert.Equal(CrispCallStatus.Queued, a[deadBob2]);
        Assert.Equal(CrispCallStatus.Sent, a[sentBob]);
        Assert.Equal(CrispCallStatus.Retrying, a[retryingBob]);
        Assert.Equal(CrispCallStatus.Dead, a[deadAda]);
        Assert.Equal(CrispCallStatus.Dead, (await StatusesAsync(tenantB))[deadBobOfB]);
        var entry = Assert.Single(await AuditAsync(tenantA));
        Assert.Equal(("delivery.replayed", "contact=bob@example.com", "2 dead calls re-queued"), (entry.Action, entry.Target, entry.Details));
        Assert.Empty(await AuditAsync(tenantB));

        var none = await FollowAsync(client, await PostAsync(client, list, $"/t/{tenantA:D}/deliveries/replay", ("contact", "bob@example.com")));
        Assert.Contains("nothing was re-queued", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_Viewer_IsForbiddenAndNothingChanges()
    {
        var tenant = await Data.TenantAsync("Acme");
        var dead = await CallAsync(tenant, CrispCallStatus.Dead);
        var client = await MemberAsync(tenant, "viewer@acme.example", TenantRole.Viewer);
        var list = $"/t/{tenant:D}/deliveries";

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, list, $"{list}/{dead}/replay")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(client, list, $"{list}/replay")).StatusCode);
        Assert.Equal(CrispCallStatus.Dead, (await StatusesAsync(tenant))[dead]);
        Assert.Empty(await AuditAsync(tenant));
    }

    [Fact]
    public async Task CrossTenant_AnotherTenantsCallIdUnderOwnRoute_IsNotFound()
    {
        var tenantA = await Data.TenantAsync("Acme");
        var tenantB = await Data.TenantAsync("Globex");
        var callOfB = await CallAsync(tenantB, CrispCallStatus.Dead);
        var client = await MemberAsync(tenantA, "owner@acme.example", TenantRole.Owner);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/t/{tenantA:D}/deliveries/{callOfB}")).StatusCode);
        var replay = await PostAsync(client, $"/t/{tenantA:D}/deliveries", $"/t/{tenantA:D}/deliveries/{callOfB}/replay");
        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.DoesNotContain(callOfB, Ids(await client.GetStringAsync($"/t/{tenantA:D}/deliveries"), tenantA));
        // And B's own route is not A's member's to open.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/t/{tenantB:D}/deliveries/{callOfB}")).StatusCode);
        Assert.Equal(CrispCallStatus.Dead, (await StatusesAsync(tenantB))[callOfB]);
    }

    [Theory]
    [InlineData("event", "%00")]
    [InlineData("event", "order%00paid")]
    [InlineData("contact", "ada%00@example.com")]
    [InlineData("contact", "ada%0A@example.com")]
    public async Task Filter_ControlCharacterInEventOrContact_Is422NextToTheField_NotA500(string field, string value)
    {
        var tenant = await Data.TenantAsync("Acme");
        var dead = await CallAsync(tenant, CrispCallStatus.Dead);
        var client = await MemberAsync(tenant, "editor@acme.example", TenantRole.Editor);
        var list = $"/t/{tenant:D}/deliveries";

        // PostgreSQL refuses a NUL in a query parameter: the filter answered 500 there.
        var response = await client.GetAsync($"{list}?{field}={value}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("The filter was not applied", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"field-error\">No control characters", html, StringComparison.Ordinal);

        // The replay of "every dead call matching" that filter is refused the same way and re-queues nothing.
        var replay = await PostAsync(client, list, $"{list}/replay", (field, Uri.UnescapeDataString(value).Replace('\0', '\u0001')));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replay.StatusCode);
        Assert.Equal(CrispCallStatus.Dead, (await StatusesAsync(tenant))[dead]);
        Assert.Empty(await AuditAsync(tenant));
    }

    private static List<long> Ids(string html, Guid tenant) =>
        [.. Regex.Matches(html, $"href=\"/t/{tenant:D}/deliveries/(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    private static string Link(string html, string rel) => TryLink(html, rel) ?? throw new Xunit.Sdk.XunitException($"No rel={rel} link.");

    private static string? TryLink(string html, string rel)
    {
        var match = Regex.Match(html, $"rel=\"{rel}\" href=\"([^\"]+)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }
}

public sealed class DeliveryLogPageTestsOnSqlite(SqliteHubFixture fixture) : DeliveryLogPageTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class DeliveryLogPageTestsOnPostgres(PostgresHubFixture fixture) : DeliveryLogPageTests(fixture);
