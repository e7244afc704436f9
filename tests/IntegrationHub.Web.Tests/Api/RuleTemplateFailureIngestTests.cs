using System.Net;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>
/// A rule whose template fails while rendering (a division by zero) is that rule's problem: the events are stored
/// and answered, the other rules' calls are queued. It once failed the ingest commit, so every retry got a 503.
/// </summary>
public sealed class RuleTemplateFailureIngestTests(WatchedPlannerSqliteFixture fixture)
    : ApiTestBase(fixture), IClassFixture<WatchedPlannerSqliteFixture>
{
    [Fact]
    public async Task TemplateThrowsWhileRendering_EventsStoredTheProblemToldOtherCallsQueued()
    {
        var (tenant, client) = await TenantClientAsync("Div");
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var saved = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("Div", new RuleDefinition
            {
                Trigger = "sbx.div",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "{{ 10 | divided_by: properties.n }}" }],
            }, "test", CancellationToken.None);
            Assert.True(saved.Succeeded);
        }

        await CreatePeopleEventRuleAsync(tenant, "Seen", "sbx.*");
        fixture.Logs.Clear();

        var single = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"sbx.div","email":"z@b.example","properties":{"n":0}}""");
        var batch = await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch", """
            {"events":[{"event":"sbx.ok","email":"y@b.example"},{"event":"sbx.div","email":"z@b.example","properties":{"n":0}}]}
            """);

        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, batch.StatusCode);
        Assert.Equal(2, (await JsonOf(batch)).GetProperty("accepted").GetInt32());
        Assert.Equal(3, await CountAsync<ProductEvent>(tenant));
        Assert.Equal(3, await CountAsync<CrispCall>(tenant)); // "Seen" for each event; "Div" for none
        var eventId = (await JsonOf(single)).GetProperty("id").GetGuid();
        var problem = Assert.Single(fixture.Logs.Entries, e => e.Message.Contains($"Event {eventId}, rule Div v1", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, problem.Level);
        Assert.Contains("divide by zero", problem.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.Contains("EventIngestWriter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TemplateBuildingAHugeString_EventStoredQuicklyTheProblemTold()
    {
        var (tenant, client) = await TenantClientAsync("Greedy");
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var saved = await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("Greedy", new RuleDefinition
            {
                Trigger = "sbx.big",
                Actions = [new RuleAction { Type = RuleActionType.Note, Text = Rules.RulesApiTests.DoublingTemplate }],
            }, "test", CancellationToken.None);
            Assert.True(saved.Succeeded);
        }

        fixture.Logs.Clear();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();

        var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events", """{"event":"sbx.big","email":"z@b.example"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        var eventId = (await JsonOf(response)).GetProperty("id").GetGuid();
        var problem = Assert.Single(fixture.Logs.Entries, e => e.Message.Contains($"Event {eventId}, rule Greedy v1", StringComparison.Ordinal));
        Assert.Contains("a value of more than", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync<CrispCall>(tenant));
    }
}
