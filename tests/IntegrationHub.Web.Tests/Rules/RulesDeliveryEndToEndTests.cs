using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Delivery;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Rules;

/// <summary>
/// From a customer's event to Crisp: the event is accepted, the tenant's rules plan outbox calls in the same
/// transaction, the delivery engine sends them, and the simulator ends up holding each action's effect.
/// </summary>
public sealed class RulesDeliveryEndToEndTests : IAsyncLifetime
{
    private DeliveryHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await DeliveryHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Event_EveryActionType_ReachesCrispAsTheRuleSays()
    {
        var tenant = await _harness.TenantAsync("Shop", budgetPerMinute: 600);
        var website = tenant.ToString("D");
        var campaignId = _harness.SimAdmin.SeedCampaign(website, "Win-back");
        var conversation = _harness.SimAdmin.SendVisitorMessage(website, "Hello, I need help", email: "ada@example.com");
        Guid versionOne;
        await using (var scope = _harness.Scope(tenant))
        {
            var rules = scope.Services.GetRequiredService<RuleService>();
            var result = await rules.CreateAsync("Paid orders", new RuleDefinition
            {
                Trigger = "order.*",
                Conditions = [new RuleCondition("properties.amount", ConditionOperator.GreaterThan, 100)],
                Actions =
                [
                    new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Paid {{ properties.amount }} EUR", Color = "green", Data = new Dictionary<string, string> { ["amount"] = "{{ properties.amount }}" } },
                    new RuleAction { Type = RuleActionType.PeopleData, Data = new Dictionary<string, string> { ["plan"] = "{{ properties.plan }}", ["ltv"] = "{{ properties.amount }}" } },
                    new RuleAction { Type = RuleActionType.PeopleSegmentsAdd, Segments = ["customer", "{{ properties.plan }}"] },
                    new RuleAction { Type = RuleActionType.SessionData, Data = new Dictionary<string, string> { ["last_order"] = "{{ properties.order_id }}" } },
                    new RuleAction { Type = RuleActionType.ConversationSegmentsAdd, Segments = ["billing"] },
                    new RuleAction { Type = RuleActionType.Note, Text = "Order {{ properties.order_id }} paid ({{ properties.amount }} EUR)" },
                    new RuleAction { Type = RuleActionType.CampaignDispatch, CampaignId = campaignId },
                ],
            }, "test", CancellationToken.None);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
            versionOne = result.Rule!.CurrentVersionId;
        }

        // An operator already set a session key: the hub must merge around it, never replace it.
        var sim = _harness.Sim;
        lock (sim.Sync)
        {
            sim.FindWebsite(website)!.Conversations.Single(c => c.SessionId == conversation.SessionId).Meta.Data["operator_note"] = "VIP";
        }

        var key = await new TestData(_harness.Hub.Services).ApiKeyAsync(tenant);
        var client = _harness.Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);

        // The dry run first: it must describe exactly the writes delivery then makes.
        var preview = await client.PostAsJsonAsync("/api/v1/rules/preview", new { @event = new { @event = "order.paid", email = "ada@example.com", properties = new { amount = 150, plan = "pro", order_id = "A-2" } } });
        var previewWrites = JsonDocument.Parse(await preview.Content.ReadAsStringAsync()).RootElement.GetProperty("rules")[0].GetProperty("calls").EnumerateArray()
            .SelectMany(c => c.GetProperty("http").EnumerateArray())
            .Where(h => h.GetProperty("method").GetString() != "GET")
            .Select(h => (Method: h.GetProperty("method").GetString()!, Path: h.GetProperty("path").GetString()!.Replace("{session_id}", conversation.SessionId, StringComparison.Ordinal)))
            .ToList();
        Assert.DoesNotContain(_harness.Journal(tenant), e => e.Method != "GET" && e.Method != "HEAD");

        var small = await client.PostAsJsonAsync("/api/v1/events", new { @event = "order.paid", email = "ada@example.com", properties = new { amount = 20, plan = "pro", order_id = "A-1" } });
        var big = await client.PostAsJsonAsync("/api/v1/events", new { @event = "order.paid", email = "ada@example.com", properties = new { amount = 150, plan = "pro", order_id = "A-2" } });
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, big.StatusCode);
        var bigId = JsonDocument.Parse(await big.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        await _harness.WaitUntilAsync(tenant, calls => calls.Count == 7 && DeliveryHarness.AllSent(calls), TimeSpan.FromSeconds(60));

        var calls = await _harness.CallsAsync(tenant);
        Assert.All(calls, c => Assert.Equal(bigId, c.EventId));               // the small order matched no rule
        Assert.All(calls, c => Assert.Equal(versionOne, c.RuleVersionId));    // each delivery names its rule version

        lock (sim.Sync)
        {
            var site = sim.FindWebsite(website)!;
            var person = site.People.Single(p => p.Email == "ada@example.com");
            var peopleEvent = Assert.Single(person.Events);
            Assert.Equal(("Paid 150 EUR", "green"), (peopleEvent.Text, peopleEvent.Color));
            Assert.Equal("pro", person.Data["plan"]!.GetValue<string>());
            Assert.Equal(150, person.Data["ltv"]!.GetValue<int>());
            Assert.Contains("customer", person.Segments);
            Assert.Contains("pro", person.Segments);

            var chat = site.Conversations.Single(c => c.SessionId == conversation.SessionId);
            Assert.Equal("A-2", chat.Meta.Data["last_order"]!.GetValue<string>());
            Assert.Equal("VIP", chat.Meta.Data["operator_note"]!.GetValue<string>());
            Assert.Contains("billing", chat.Meta.Segments);
            Assert.Contains(chat.Messages, m => m.Type == "note" && m.Content?.ToString() == "Order A-2 paid (150 EUR)");
        }

        Assert.Contains(sim.Dispatches, d => d.CampaignId == campaignId);

        // Every write the preview announced reached Crisp on the same route (the engine may add reads and a profile
        // create, and addresses people by the people_id it cached rather than by email).
        static string Route(string path) => System.Text.RegularExpressions.Regex.Replace(
            Uri.UnescapeDataString(path).Replace("/v1/", "/", StringComparison.Ordinal),
            @"/(people/(events|data|profile))/[^/]+", "/$1/*");
        var journalWrites = _harness.Journal(tenant).Where(e => e.Status < 300 && e.Method is "POST" or "PATCH" or "PUT")
            .Select(e => (e.Method, Path: Route(e.Path))).ToList();
        Assert.Equal(7, previewWrites.Count); // one write per action
        foreach (var (method, path) in previewWrites)
        {
            Assert.Contains((method, Route(path)), journalWrites);
        }

        // GET /api/v1/events/{id}: the rule version it matched and each call's state.
        var detail = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/events/{bigId}")).RootElement;
        Assert.Equal(versionOne, detail.GetProperty("matched_rules")[0].GetGuid());
        Assert.All(detail.GetProperty("deliveries").EnumerateArray(), d => Assert.Equal("sent", d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task EditingARule_LeavesEarlierDeliveriesOnTheirVersion()
    {
        var tenant = await _harness.TenantAsync("Shop");
        Guid ruleId;
        await using (var scope = _harness.Scope(tenant))
        {
            ruleId = (await scope.Services.GetRequiredService<RuleService>().CreateAsync("Signup", new RuleDefinition
            {
                Trigger = "user.signup",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Signed up" }],
            }, "test", CancellationToken.None)).Rule!.Id;
        }

        var key = await new TestData(_harness.Hub.Services).ApiKeyAsync(tenant);
        var client = _harness.Hub.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Plaintext);
        await client.PostAsJsonAsync("/api/v1/events", new { @event = "user.signup", email = "a@example.com" });

        await using (var scope = _harness.Scope(tenant))
        {
            await scope.Services.GetRequiredService<RuleService>().UpdateAsync(ruleId, "Signup", new RuleDefinition
            {
                Trigger = "user.signup",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Welcome aboard" }],
            }, "test", CancellationToken.None);
        }

        await client.PostAsJsonAsync("/api/v1/events", new { @event = "user.signup", email = "b@example.com" });
        await _harness.WaitUntilAsync(tenant, calls => calls.Count == 2 && DeliveryHarness.AllSent(calls), TimeSpan.FromSeconds(60));

        await using (var scope = _harness.Scope(tenant))
        {
            var versions = await scope.Db.Set<RuleVersion>().OrderBy(v => v.Version).ToListAsync();
            var calls = await scope.Db.Set<CrispCall>().OrderBy(c => c.Id).ToListAsync();
            Assert.Equal(versions[0].Id, calls[0].RuleVersionId);
            Assert.Equal(versions[1].Id, calls[1].RuleVersionId);
            Assert.Contains("Signed up", calls[0].Payload, StringComparison.Ordinal);
            Assert.Contains("Welcome aboard", calls[1].Payload, StringComparison.Ordinal);
        }
    }
}
