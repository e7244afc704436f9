using System.Net;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Tests.Api;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Web.Tests.Rules;

/// <summary>The ingest writer's per-tenant rule cache: reused within its lifetime, dropped at once by a change on this node.</summary>
public sealed class RulePlanCacheTests
{
    private static readonly RulePlanCache.Entry NoRules = new(true, []);

    private static RulePlanCache Cache(FakeTimeProvider clock, int seconds = 2) =>
        new(Options.Create(new RulePlanCacheOptions { PlanCacheSeconds = seconds }), clock);

    [Fact]
    public async Task Get_WithinLifetime_LoadsOnce_AfterItReloads()
    {
        var clock = new FakeTimeProvider();
        var cache = Cache(clock);
        var tenant = Guid.NewGuid();
        var loads = 0;
        Task<RulePlanCache.Entry> Load()
        {
            loads++;
            return Task.FromResult(NoRules);
        }

        await cache.GetAsync(tenant, Load);
        await cache.GetAsync(tenant, Load);
        Assert.Equal(1, loads);

        clock.Advance(TimeSpan.FromSeconds(2));
        await cache.GetAsync(tenant, Load);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task Invalidate_NextGetReloads_OtherTenantsKeepTheirs()
    {
        var cache = Cache(new FakeTimeProvider());
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var loads = new Dictionary<Guid, int> { [a] = 0, [b] = 0 };
        Func<Task<RulePlanCache.Entry>> Load(Guid t) => () =>
        {
            loads[t]++;
            return Task.FromResult(NoRules);
        };

        await cache.GetAsync(a, Load(a));
        await cache.GetAsync(b, Load(b));
        cache.Invalidate(a);
        await cache.GetAsync(a, Load(a));
        await cache.GetAsync(b, Load(b));

        Assert.Equal(2, loads[a]);
        Assert.Equal(1, loads[b]);
    }

    [Fact]
    public async Task LoadRacingAnInvalidation_IsNotStored()
    {
        var cache = Cache(new FakeTimeProvider());
        var tenant = Guid.NewGuid();
        var stale = new RulePlanCache.Entry(true, []);
        var fresh = new RulePlanCache.Entry(false, []);

        // The load read the old rules; the rules changed (and invalidated) before it finished.
        var first = await cache.GetAsync(tenant, () =>
        {
            cache.Invalidate(tenant);
            return Task.FromResult(stale);
        });
        var second = await cache.GetAsync(tenant, () => Task.FromResult(fresh));

        Assert.Same(stale, first);
        Assert.Same(fresh, second);
    }

    [Fact]
    public async Task ZeroSeconds_NeverCaches()
    {
        var cache = Cache(new FakeTimeProvider(), seconds: 0);
        var loads = 0;
        for (var i = 0; i < 3; i++)
        {
            await cache.GetAsync(Guid.NewGuid(), () =>
            {
                loads++;
                return Task.FromResult(NoRules);
            });
        }

        Assert.Equal(3, loads);
    }
}

/// <summary>Through the API: a rule switched off or on is what the very next accepted event is planned with.</summary>
public abstract class RulePlanCacheIngestTests(IHubFixture fixture) : ApiTestBase(fixture)
{
    [Fact]
    public async Task RuleSwitchedOffThenOn_NextEventsFollowAtOnce()
    {
        var (tenant, client) = await TenantClientAsync();
        Guid ruleId;
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            ruleId = (await scope.ServiceProvider.GetRequiredService<RuleService>().CreateAsync("Signup", new RuleDefinition
            {
                Trigger = "user.signup",
                Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Signed up" }],
            }, "test", CancellationToken.None)).Rule!.Id;
        }

        async Task<int> CallsAfterPostingAsync(string email)
        {
            var response = await SendAsync(client, HttpMethod.Post, "/api/v1/events", $$"""{"event":"user.signup","email":"{{email}}"}""");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var (read, db) = OpenScope(tenant);
            await using (read)
            {
                return await db.Set<CrispCall>().CountAsync();
            }
        }

        Assert.Equal(1, await CallsAfterPostingAsync("a@example.com"));
        await SetEnabledAsync(tenant, ruleId, false);
        Assert.Equal(1, await CallsAfterPostingAsync("b@example.com"));
        await SetEnabledAsync(tenant, ruleId, true);
        Assert.Equal(2, await CallsAfterPostingAsync("c@example.com"));
    }

    private async Task SetEnabledAsync(Guid tenant, Guid ruleId, bool enabled)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<RuleService>().SetEnabledAsync(ruleId, enabled, "test", CancellationToken.None));
        }
    }
}

public sealed class RulePlanCacheIngestTestsOnSqlite(SqliteHubFixture fixture) : RulePlanCacheIngestTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class RulePlanCacheIngestTestsOnPostgres(PostgresHubFixture fixture) : RulePlanCacheIngestTests(fixture);
