using System.Net;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Api;

/// <summary>A hub whose mapping step fails for events named "poison", inside the ingest transaction.</summary>
public sealed class PoisonPlannerSqliteHubFixture : SqliteHubFixture
{
    protected override Action<IServiceCollection>? Services => services => services.AddScoped<IEventActionPlanner, PoisonPlanner>();

    private sealed class PoisonPlanner : IEventActionPlanner
    {
        public ValueTask<EventPlan> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken) =>
            events.Any(e => e.Name == "poison")
                ? throw new InvalidOperationException("The mapping engine failed.")
                : ValueTask.FromResult(EventPlan.None);
    }
}

public sealed class IngestFailureTests(PoisonPlannerSqliteHubFixture fixture) : ApiTestBase(fixture), IClassFixture<PoisonPlannerSqliteHubFixture>
{
    [Fact]
    public async Task FailedCommit_FailsOnlyItsRequest_With503AndNothingStored_OthersAccepted()
    {
        var (tenant, client) = await TenantClientAsync();

        // Sent together so that they share group commits with the poisoned request.
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            SendAsync(client, HttpMethod.Post, "/api/v1/events", $$$"""{"event":"{{{(i == 15 ? "poison" : "fine")}}}","user_id":"u{{{i}}}","message_id":"m{{{i}}}"}""")));

        var poisoned = responses[15];
        var problem = await AssertProblemAsync(poisoned, 503, "unavailable");
        Assert.True(poisoned.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("mapping engine", problem.ToString(), StringComparison.Ordinal);
        Assert.All(responses.Where((_, i) => i != 15), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(29, await db.Set<ProductEvent>().CountAsync());
            Assert.False(await db.Set<ProductEvent>().AnyAsync(e => e.Name == "poison"));
        }

        // Nothing was stored, so the same request (same message_id) can simply be retried.
        var retried = await SendAsync(client, HttpMethod.Post, "/api/v1/events/batch", """{"events":[{"event":"fine","user_id":"u15","message_id":"m15"}]}""");
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Contains("\"accepted\":1", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
