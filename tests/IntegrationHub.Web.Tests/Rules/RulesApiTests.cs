using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Rules;

public abstract class RulesApiTests(IHubFixture fixture) : HubTestBase(fixture)
{
    private static readonly RuleDefinition PaidOrders = new()
    {
        Trigger = "order.*",
        Conditions = [new RuleCondition("properties.amount", ConditionOperator.GreaterThan, 100)],
        Actions =
        [
            new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Paid {{ properties.amount }}", Color = "green" },
            new RuleAction { Type = RuleActionType.SessionData, Data = new Dictionary<string, string> { ["last_order"] = "{{ properties.amount }}" } },
        ],
    };

    [Fact]
    public async Task Preview_StoredRules_ShowsMatchesCallsAndCostWithoutSendingAnything()
    {
        var tenant = await Data.TenantAsync("Acme");
        await WithRulesAsync(tenant, async rules =>
        {
            await rules.CreateAsync("Paid orders", PaidOrders, "owner@acme.example", CancellationToken.None);
            await rules.CreateAsync("Signups", PaidOrders with { Trigger = "user.signup" }, "owner@acme.example", CancellationToken.None);
        });
        var client = await ClientAsync(tenant);

        var response = await client.PostAsJsonAsync("/api/v1/rules/preview", new
        {
            @event = new { @event = "order.paid", email = "Ada@Example.com", properties = new { amount = 150 } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rules = json.RootElement.GetProperty("rules").EnumerateArray().ToList();
        var paid = rules.Single(r => r.GetProperty("name").GetString() == "Paid orders");
        var signups = rules.Single(r => r.GetProperty("name").GetString() == "Signups");
        Assert.True(paid.GetProperty("matched").GetBoolean());
        Assert.False(signups.GetProperty("matched").GetBoolean());
        Assert.Contains("does not match trigger", signups.GetProperty("reasons")[0].GetString(), StringComparison.Ordinal);

        var calls = paid.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal(CrispCallKinds.PeopleEventAdd, calls[0].GetProperty("kind").GetString());
        var post = calls[0].GetProperty("http")[0];
        Assert.Equal("POST", post.GetProperty("method").GetString());
        Assert.Equal($"/v1/website/{tenant:D}/people/events/ada%40example.com", post.GetProperty("path").GetString());
        Assert.Equal("Paid 150", post.GetProperty("body").GetProperty("text").GetString());
        Assert.Equal("PATCH", calls[1].GetProperty("http")[2].GetProperty("method").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("cost").GetProperty("http_requests").GetInt32());
        Assert.Equal(30, json.RootElement.GetProperty("cost").GetProperty("budget_per_minute").GetInt32());

        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Empty(await db.Set<CrispCall>().ToListAsync()); // preview never queues work
        }
    }

    [Fact]
    public async Task Preview_DraftRules_ValidatedWithFieldErrors()
    {
        var client = await ClientAsync(await Data.TenantAsync());

        var response = await client.PostAsJsonAsync("/api/v1/rules/preview", new
        {
            @event = new { @event = "order.paid", email = "a@b.example" },
            rules = new[] { new { name = "bad", definition = new { trigger = "order.*", actions = new[] { new { type = "people_event", text = "{% if %}", color = "magenta" } } } } },
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("rules[0].actions[0].text", body, StringComparison.Ordinal);
        Assert.Contains("rules[0].actions[0].color", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[null]""", "rules[0]")]
    [InlineData("""[{"name":"a","definition":{"trigger":"x","conditions":null,"actions":[{"type":"note","text":"hi"}]}}]""", "rules[0].conditions")]
    [InlineData("""[{"name":"a","definition":{"trigger":"x","conditions":[null],"actions":[{"type":"note","text":"hi"}]}}]""", "rules[0].conditions[0]")]
    [InlineData("""[{"name":"a","definition":{"trigger":"x","actions":null}}]""", "rules[0].actions")]
    [InlineData("""[{"name":"a","definition":{"trigger":"x","actions":[null]}}]""", "rules[0].actions[0]")]
    [InlineData("""[{"name":"a","definition":{"trigger":"x","actions":[{"type":"people_segments_add","segments":["vip",null]}]}}]""", "rules[0].actions[0].segments[1]")]
    public async Task Preview_DraftRuleWithNulls_Is422NamingTheField(string drafts, string field)
    {
        var client = await ClientAsync(await Data.TenantAsync());

        using var content = new StringContent($$"""{"event":{"event":"x","email":"a@b.example"},"rules":{{drafts}}}""", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/v1/rules/preview", content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
    }

    [Theory]
    [InlineData("""{"event":"order.paid","email":"not an email"}""", "event.email")]
    [InlineData("""{"event":"order paid!","email":"a@b.example"}""", "event.event")]
    [InlineData("""{"event":"order.paid"}""", "event.email")]
    [InlineData("""{"event":"order.paid","email":"a@b.example","properties":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}}""", "event.properties.a.b.c.d.e")]
    public async Task Preview_EventTheEventsApiRefuses_Is422WithTheApisMessage(string evt, string field)
    {
        var client = await ClientAsync(await Data.TenantAsync());

        using var content = new StringContent($$"""{"event":{{evt}}}""", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/v1/rules/preview", content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("errors").EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)), body);

        using var same = new StringContent(evt, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsync("/api/v1/events", same)).StatusCode);
    }

    [Fact]
    public async Task Preview_PropertySentAsNull_ExistsHolds()
    {
        var client = await ClientAsync(await Data.TenantAsync());

        using var content = new StringContent("""
            {"event":{"event":"signup","email":"a@b.example","properties":{"coupon":null}},
             "rules":[{"name":"coupon","definition":{"trigger":"signup","conditions":[{"field":"properties.coupon","operator":"exists"}],
                       "actions":[{"type":"people_event","text":"signed up"}]}}]}
            """, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/v1/rules/preview", content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("rules")[0].GetProperty("matched").GetBoolean(), body);
    }

    [Fact]
    public async Task SavedRuleWithManyWildcards_EventsAreStillAcceptedAndPreviewed()
    {
        var tenant = await Data.TenantAsync();
        var trigger = string.Concat(Enumerable.Repeat("*a", 40)) + "*c";
        await WithRulesAsync(tenant, rules =>
            rules.CreateAsync("stars", new RuleDefinition { Trigger = trigger, Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "x" }] }, "me", CancellationToken.None));
        var client = await ClientAsync(tenant);
        var name = new string('a', 99) + "b";

        var ingest = await client.PostAsJsonAsync("/api/v1/events", new { @event = name, email = "a@b.example" });
        var preview = await client.PostAsJsonAsync("/api/v1/rules/preview", new { @event = new { @event = name, email = "a@b.example" } });

        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        using var json = JsonDocument.Parse(await preview.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("rules")[0].GetProperty("matched").GetBoolean());
    }

    [Fact]
    public async Task Preview_ProductEventsSwitchedOffInSettings_ShowsNoCallsAndSaysWhy_AsIngestionPlansNone()
    {
        var tenant = await Data.TenantAsync("Acme");
        await WithRulesAsync(tenant, rules => rules.CreateAsync("Paid orders", PaidOrders, "owner@acme.example", CancellationToken.None));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            (await db.Tenants.SingleAsync()).SettingsJson = """{"features":{"events":false}}""";
            await db.SaveChangesAsync();
        }

        var client = await ClientAsync(tenant);
        var evt = new { @event = "order.paid", email = "ada@example.com", properties = new { amount = 150 } };
        var response = await client.PostAsJsonAsync("/api/v1/rules/preview", new { @event = evt });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var rule = json.RootElement.GetProperty("rules")[0];
        Assert.True(rule.GetProperty("matched").GetBoolean());
        Assert.Empty(rule.GetProperty("calls").EnumerateArray());
        Assert.Contains("switched off", rule.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, json.RootElement.GetProperty("cost").GetProperty("http_requests").GetInt32());

        // What the preview says is what ingestion does: the event is stored, no call is queued.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/events", evt)).StatusCode);
        var (check, checkDb) = OpenScope(tenant);
        await using (check)
        {
            Assert.Empty(await checkDb.Set<CrispCall>().ToListAsync());
        }
    }

    /// <summary>Doubles a string thirty times: gigabytes, and an OutOfMemoryException (a 500), before templates were bounded.</summary>
    public const string DoublingTemplate = "{% assign s = \"xxxxxxxxxx\" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}";

    [Fact]
    public async Task Preview_DraftRuleBuildingAHugeString_ShowsTheRuleProblemNot500()
    {
        var client = await ClientAsync(await Data.TenantAsync());

        var response = await client.PostAsJsonAsync("/api/v1/rules/preview", new
        {
            @event = new { @event = "order.paid", email = "a@b.example" },
            rules = new[] { new { name = "greedy", definition = new { trigger = "order.*", actions = new[] { new { type = "note", text = DoublingTemplate } } } } },
        });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var rule = json.RootElement.GetProperty("rules")[0];
        Assert.Empty(rule.GetProperty("calls").EnumerateArray());
        Assert.Contains("a value of more than", rule.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_KeyOfA_NeverSeesBsRules()
    {
        var a = await Data.TenantAsync("A");
        var b = await Data.TenantAsync("B");
        await WithRulesAsync(b, rules => rules.CreateAsync("B secret rule", PaidOrders, "b", CancellationToken.None));

        var response = await (await ClientAsync(a)).PostAsJsonAsync("/api/v1/rules/preview", new { @event = new { @event = "order.paid", email = "x@y.example", properties = new { amount = 500 } } });

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("B secret rule", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_AddsAVersion_EarlierVersionUnchanged()
    {
        var tenant = await Data.TenantAsync();
        Guid ruleId = default;
        await WithRulesAsync(tenant, async rules =>
        {
            ruleId = (await rules.CreateAsync("Paid", PaidOrders, "me", CancellationToken.None)).Rule!.Id;
            var updated = await rules.UpdateAsync(ruleId, "Paid (big)", PaidOrders with { Trigger = "order.paid" }, "me", CancellationToken.None);
            Assert.True(updated.Succeeded);
            var invalid = await rules.UpdateAsync(ruleId, "Paid", PaidOrders with { Trigger = "" }, "me", CancellationToken.None);
            Assert.Contains("trigger", invalid.Errors.Keys);
        });

        await WithRulesAsync(tenant, async rules =>
        {
            var versions = await rules.VersionsAsync(ruleId, CancellationToken.None);
            Assert.Equal([2, 1], versions.Select(v => v.Version));
            Assert.Equal("order.*", RuleDefinition.FromJson(versions[1].Definition).Trigger);
            Assert.Equal("order.paid", RuleDefinition.FromJson(versions[0].Definition).Trigger);
            var active = Assert.Single(await rules.ActiveAsync(CancellationToken.None));
            Assert.Equal(versions[0].Id, active.VersionId);

            await rules.SetEnabledAsync(ruleId, false, "me", CancellationToken.None);
            Assert.Empty(await rules.ActiveAsync(CancellationToken.None));
        });
    }

    [Fact]
    public async Task SupportContextPreset_OneClickTwice_OneRule()
    {
        var tenant = await Data.TenantAsync();
        await WithRulesAsync(tenant, async rules =>
        {
            await rules.EnablePresetAsync(RulePresets.SupportContext, "me", CancellationToken.None);
            await rules.EnablePresetAsync(RulePresets.SupportContext, "me", CancellationToken.None);
            Assert.Single(await rules.ListAsync(CancellationToken.None));
        });
    }

    private async Task WithRulesAsync(Guid tenant, Func<RuleService, Task> action)
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenant);
        await action(scope.ServiceProvider.GetRequiredService<RuleService>());
    }

    private async Task<HttpClient> ClientAsync(Guid tenant)
    {
        var key = await Data.ApiKeyAsync(tenant);
        var client = Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        return client;
    }
}

public sealed class RulesApiTestsOnSqlite(SqliteHubFixture fixture) : RulesApiTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class RulesApiTestsOnPostgres(PostgresHubFixture fixture) : RulesApiTests(fixture);
