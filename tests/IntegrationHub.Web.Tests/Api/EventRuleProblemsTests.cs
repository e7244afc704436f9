using System.Net;
using System.Text.Json;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// Issue 6: <c>GET /api/v1/events/{id}</c> gives "the rules it matched" — also a rule that matched and made no Crisp
/// call, with why (recorded with the event in its commit), so a developer whose event reached nothing learns the reason.
/// The dashboard's delivery log, filtered by the event's id, shows the same.
/// </summary>
public abstract class EventRuleProblemsTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    private const string NoEmail = "action 1 (PeopleEvent): the event has no email, and Crisp keys people by email";
    private const string NothingToSend = "action 1 (PeopleEvent): nothing to send for this event";

    [Fact]
    public async Task GetEvent_PeopleRuleMatchedAnEventWithoutEmail_ListsTheRuleAndWhyNoCallWasMade()
    {
        var (tenant, client) = await TenantClientAsync();
        var version = await RuleAsync(tenant, "Seen", "seen", "Seen the pricing page");

        var id = await PostAsync(client, """{"event":"seen","user_id":"u-1"}""");
        var body = await JsonOf(await client.GetAsync($"/api/v1/events/{id:D}"));

        Assert.Equal([version], MatchedRules(body));
        Assert.Empty(body.GetProperty("deliveries").EnumerateArray());
        var problem = Assert.Single(body.GetProperty("rule_problems").EnumerateArray());
        Assert.Equal(version, problem.GetProperty("rule_version_id").GetGuid());
        Assert.Equal("Seen", problem.GetProperty("rule").GetString());
        Assert.Equal(1, problem.GetProperty("version").GetInt32());
        Assert.Equal(NoEmail, problem.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task GetEvent_OneRuleWithCallsOneRenderingNothing_ListsBothAndStoresARowOnlyForTheOneWithoutCall()
    {
        var (tenant, client) = await TenantClientAsync();
        var calls = await RuleAsync(tenant, "Paid", "order.paid", "Paid {{ properties.amount }}");
        var empty = await RuleAsync(tenant, "Coupon", "order.*", "{{ properties.coupon }}");

        var id = await PostAsync(client, """{"event":"order.paid","email":"ada@example.com","properties":{"amount":12}}""");
        var body = await JsonOf(await client.GetAsync($"/api/v1/events/{id:D}"));

        Assert.Equal([calls, empty], MatchedRules(body));
        var delivery = Assert.Single(body.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(calls, delivery.GetProperty("rule_version_id").GetGuid());
        var problem = Assert.Single(body.GetProperty("rule_problems").EnumerateArray());
        Assert.Equal((empty, "Coupon", NothingToSend),
            (problem.GetProperty("rule_version_id").GetGuid(), problem.GetProperty("rule").GetString(), problem.GetProperty("reason").GetString()));
        // The common case (a rule that made its call) writes nothing beyond the call.
        Assert.Equal(1, await CountAsync<EventRuleProblem>(tenant));
    }

    [Fact]
    public async Task GetEvent_ProductEventsSwitchedOff_ListsTheMatchedRuleWithTheSettingAsReason()
    {
        var (tenant, client) = await TenantClientAsync();
        var version = await RuleAsync(tenant, "Paid", "order.paid", "Paid");
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var website = await db.Tenants.SingleAsync();
            website.SettingsJson = """{"features":{"events":false}}""";
            await db.SaveChangesAsync();
        }

        Hub.Services.GetRequiredService<RulePlanCache>().Invalidate(tenant);

        var matched = await PostAsync(client, """{"event":"order.paid","email":"ada@example.com"}""");
        var unmatched = await PostAsync(client, """{"event":"user.signup","email":"ada@example.com"}""");

        var body = await JsonOf(await client.GetAsync($"/api/v1/events/{matched:D}"));
        Assert.Equal([version], MatchedRules(body));
        Assert.Empty(body.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(RulePlanner.EventsSwitchedOff, Assert.Single(body.GetProperty("rule_problems").EnumerateArray()).GetProperty("reason").GetString());
        var other = await JsonOf(await client.GetAsync($"/api/v1/events/{unmatched:D}"));
        Assert.Empty(MatchedRules(other));
        Assert.Empty(other.GetProperty("rule_problems").EnumerateArray());
    }

    [Fact]
    public async Task PostEvent_ProblemQuotingAPropertyWithANulCharacter_IsAcceptedAndStoredPrintable()
    {
        var (tenant, client) = await TenantClientAsync();
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("Tier", new RuleDefinition
            {
                Trigger = "plan.changed",
                Actions = [new RuleAction { Type = RuleActionType.PeopleSegmentsAdd, Segments = ["{{ properties.tier }}"] }],
            }, "test", CancellationToken.None)).Succeeded);
        }

        // The segment renders longer than Crisp allows, and the reason quotes its start: a NUL, which PostgreSQL
        // refuses in text. The event must still be accepted (202 means committed), and its problem readable.
        var tier = "\\u0000" + new string('a', 70);
        var id = await PostAsync(client, $$$"""{"event":"plan.changed","email":"ada@example.com","properties":{"tier":"{{{tier}}}"}}""");

        var problem = Assert.Single((await JsonOf(await client.GetAsync($"/api/v1/events/{id:D}"))).GetProperty("rule_problems").EnumerateArray());
        var reason = problem.GetProperty("reason").GetString()!;
        Assert.Contains("is longer than 64 characters", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', reason);
        Assert.Contains('\uFFFD', reason);
    }

    [Fact]
    public async Task PostBatch_EachItemsMatchedRulesAndProblems_AreRecordedWithIt()
    {
        var (tenant, client) = await TenantClientAsync();
        var version = await RuleAsync(tenant, "Seen", "seen", "Seen");

        var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch", """
            {"events":[{"event":"seen","email":"ada@example.com"},{"event":"seen","user_id":"u-2"},{"event":"other","user_id":"u-3"},{"event":""}]}
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ids = (await JsonOf(response)).GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("id").ValueKind == JsonValueKind.Null ? Guid.Empty : r.GetProperty("id").GetGuid()).ToList();
        var withCall = await JsonOf(await client.GetAsync($"/api/v1/events/{ids[0]:D}"));
        Assert.Equal([version], MatchedRules(withCall));
        Assert.Single(withCall.GetProperty("deliveries").EnumerateArray());
        Assert.Empty(withCall.GetProperty("rule_problems").EnumerateArray());
        var withoutEmail = await JsonOf(await client.GetAsync($"/api/v1/events/{ids[1]:D}"));
        Assert.Equal([version], MatchedRules(withoutEmail));
        Assert.Equal(NoEmail, Assert.Single(withoutEmail.GetProperty("rule_problems").EnumerateArray()).GetProperty("reason").GetString());
        var unmatched = await JsonOf(await client.GetAsync($"/api/v1/events/{ids[2]:D}"));
        Assert.Empty(MatchedRules(unmatched));
        Assert.Empty(unmatched.GetProperty("rule_problems").EnumerateArray());
        Assert.Equal(Guid.Empty, ids[3]);
        Assert.Equal(1, await CountAsync<EventRuleProblem>(tenant));
    }

    [Fact]
    public async Task RepeatedEventAndReplayedDeadCall_KeepTheEventsMatchedRulesAndProblemsAsRecorded()
    {
        var (tenant, client) = await TenantClientAsync();
        var calls = await RuleAsync(tenant, "Paid", "order.paid", "Paid");
        var empty = await RuleAsync(tenant, "Coupon", "order.paid", "{{ properties.coupon }}");
        const string body = """{"event":"order.paid","email":"ada@example.com","message_id":"m-1"}""";

        var id = await PostAsync(client, body, "key-1");
        // A client's retry (same Idempotency-Key) and a repeat of the message id store nothing new.
        Assert.Equal(id, (await JsonOf(await SendAsync(client, HttpMethod.Post, "/api/v1/events", body, "key-1"))).GetProperty("id").GetGuid());
        Assert.Equal("duplicate", (await JsonOf(await SendAsync(client, HttpMethod.Post, "/api/v1/events", body))).GetProperty("status").GetString());
        Assert.Equal(1, await CountAsync<EventRuleProblem>(tenant));

        // The call dies, and is replayed (the dashboard's and the CLI's replay): the event's record stays as it was.
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            var call = await db.Set<CrispCall>().AsTracking().SingleAsync(c => c.EventId == id);
            call.Status = CrispCallStatus.Dead;
            call.LastError = "Crisp refused the data";
            await db.SaveChangesAsync();
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<DeliveryAdmin>().ReplayAsync(call.Id, CancellationToken.None));
        }

        var detail = await JsonOf(await client.GetAsync($"/api/v1/events/{id:D}"));
        Assert.Equal([calls, empty], MatchedRules(detail));
        Assert.Equal("queued", Assert.Single(detail.GetProperty("deliveries").EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal(empty, Assert.Single(detail.GetProperty("rule_problems").EnumerateArray()).GetProperty("rule_version_id").GetGuid());
        Assert.Equal(1, await CountAsync<EventRuleProblem>(tenant));
    }

    [Fact]
    public async Task OtherTenantsKey_CannotSeeAnEventsRuleProblems()
    {
        var (a, clientA) = await TenantClientAsync("A");
        var (b, clientB) = await TenantClientAsync("B");
        await RuleAsync(a, "Secret rule of A", "seen", "Seen");
        var idA = await PostAsync(clientA, """{"event":"seen","user_id":"u-1"}""");
        var idB = await PostAsync(clientB, """{"event":"seen","user_id":"u-1"}""");

        var response = await clientB.GetAsync($"/api/v1/events/{idA:D}");

        await AssertProblemAsync(response, 404, "not-found");
        Assert.DoesNotContain("Secret rule", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var own = await JsonOf(await clientB.GetAsync($"/api/v1/events/{idB:D}"));
        Assert.Empty(MatchedRules(own));
        Assert.Empty(own.GetProperty("rule_problems").EnumerateArray());
        Assert.Equal(1, await CountAsync<EventRuleProblem>(a));
        Assert.Equal(0, await CountAsync<EventRuleProblem>(b));

        // Nor B's members on the dashboard, with A's event id in B's delivery log.
        var browser = Hub.CreateBrowser();
        await Data.UserAsync("viewer@b.example", b, TenantRole.Viewer);
        await Browser.SignInAsync(browser, "viewer@b.example");
        var html = await browser.GetStringAsync($"/t/{b:D}/deliveries?event={idA:D}");
        Assert.DoesNotContain("Secret rule", html, StringComparison.Ordinal);
        Assert.DoesNotContain("matched-rules", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliveryLog_FilteredByAnEventId_ShowsTheRulesItMatchedAndWhyOneMadeNoCall()
    {
        var (tenant, client) = await TenantClientAsync();
        await RuleAsync(tenant, "Paid", "order.paid", "Paid");
        await RuleAsync(tenant, "Coupon", "order.*", "{{ properties.coupon }}");
        var paid = await PostAsync(client, """{"event":"order.paid","email":"ada@example.com"}""");
        var withoutEmail = await PostAsync(client, """{"event":"order.paid","user_id":"u-1"}""");
        var unmatched = await PostAsync(client, """{"event":"user.signup","email":"ada@example.com"}""");
        var browser = Hub.CreateBrowser();
        await Data.UserAsync("viewer@acme.example", tenant, TenantRole.Viewer);
        await Browser.SignInAsync(browser, "viewer@acme.example");

        var html = await browser.GetStringAsync($"/t/{tenant:D}/deliveries?event={paid:D}");
        Assert.Contains("id=\"matched-rules\"", html, StringComparison.Ordinal);
        Assert.Contains("Paid", html, StringComparison.Ordinal);
        Assert.Contains("Coupon", html, StringComparison.Ordinal);
        Assert.Contains(NothingToSend, html, StringComparison.Ordinal);

        // No call at all: the page says which rules matched and why, not only "no calls match".
        var none = await browser.GetStringAsync($"/t/{tenant:D}/deliveries?event={withoutEmail:D}");
        Assert.Contains("id=\"matched-rules\"", none, StringComparison.Ordinal);
        Assert.Contains(NoEmail, none, StringComparison.Ordinal);
        Assert.Contains("No calls match this filter.", none, StringComparison.Ordinal);

        var nothing = await browser.GetStringAsync($"/t/{tenant:D}/deliveries?event={unmatched:D}");
        Assert.Contains("matched no rule when it was accepted", nothing, StringComparison.Ordinal);
    }

    private static Guid[] MatchedRules(JsonElement body) =>
        body.GetProperty("matched_rules").EnumerateArray().Select(r => r.GetGuid()).ToArray();

    private static async Task<Guid> PostAsync(HttpClient client, string json, string? idempotencyKey = null)
    {
        var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events", json, idempotencyKey);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await JsonOf(response)).GetProperty("id").GetGuid();
    }

    /// <summary>A rule of the tenant: each <paramref name="trigger"/> event makes a people event with this text; its version id.</summary>
    private async Task<Guid> RuleAsync(Guid tenant, string name, string trigger, string text)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var result = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync(name, new RuleDefinition
            {
                Trigger = trigger,
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = text }],
            }, "test", CancellationToken.None);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
            return result.Rule!.CurrentVersionId;
        }
    }
}

public sealed class EventRuleProblemsTestsOnSqlite(SqliteHubFixture fixture) : EventRuleProblemsTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class EventRuleProblemsTestsOnPostgres(PostgresHubFixture fixture) : EventRuleProblemsTests(fixture);
