using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Tests.Tenancy;

public abstract class TenantScopingTests(IHubFixture fixture) : HubTestBase(fixture)
{
    [Fact]
    public async Task Query_WithoutTenantContext_ReturnsNothingRatherThanEverything()
    {
        var a = await Data.TenantAsync("A");
        var b = await Data.TenantAsync("B");
        await Data.ApiKeyAsync(a);
        await Data.ApiKeyAsync(b);
        await Data.UserAsync("a@example.com", a);

        var (scope, db) = OpenScope();
        await using (scope)
        {
            Assert.Empty(await db.Tenants.ToListAsync());
            Assert.Empty(await db.ApiKeys.ToListAsync());
            Assert.Empty(await db.Memberships.ToListAsync());
            Assert.Equal(2, await db.ApiKeys.AcrossTenants().CountAsync()); // the rows exist: the filter hid them
        }
    }

    [Fact]
    public async Task Query_WithTenantContext_SeesOnlyThatTenantsRows()
    {
        var a = await Data.TenantAsync("A");
        var b = await Data.TenantAsync("B");
        var keyA = await Data.ApiKeyAsync(a);
        await Data.ApiKeyAsync(b);
        await Data.ApiKeyAsync(b);

        var (scope, db) = OpenScope(a);
        await using (scope)
        {
            var keys = await db.ApiKeys.ToListAsync();
            Assert.Equal(keyA.Key.Id, Assert.Single(keys).Id);
            Assert.Equal(a, (await db.Tenants.SingleAsync()).Id);
            Assert.Null(await db.ApiKeys.FirstOrDefaultAsync(k => k.TenantId == b)); // even asking by id finds nothing
        }
    }

    [Fact]
    public async Task Save_RowOfAnotherTenant_IsRefused()
    {
        var a = await Data.TenantAsync("A");
        var b = await Data.TenantAsync("B");
        var (scope, db) = OpenScope(a);
        await using (scope)
        {
            db.ApiKeys.Add(new ApiKey { Id = Guid.NewGuid(), TenantId = b, Name = "smuggled", Prefix = "p1", SecretHash = new string('0', 64) });
            await Assert.ThrowsAsync<TenantScopeViolationException>(() => db.SaveChangesAsync());
        }

        var (check, checkDb) = OpenScope(b);
        await using (check)
        {
            Assert.Empty(await checkDb.ApiKeys.ToListAsync());
        }
    }

    [Fact]
    public async Task Save_WithoutTenantContext_IsRefused()
    {
        var a = await Data.TenantAsync("A");
        var (scope, db) = OpenScope();
        await using (scope)
        {
            db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), TenantId = a, UserId = "nobody", Role = TenantRole.Owner });
            await Assert.ThrowsAsync<TenantScopeViolationException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task Save_NewRowWithoutTenantId_GetsTheCurrentTenant()
    {
        var a = await Data.TenantAsync("A");
        var (scope, db) = OpenScope(a);
        await using (scope)
        {
            var key = new ApiKey { Id = Guid.NewGuid(), Name = "implicit", Prefix = "p2", SecretHash = new string('0', 64) };
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync();
            Assert.Equal(a, key.TenantId);
        }
    }

    [Fact]
    public async Task InsertIfAbsent_TakesTheCurrentTenant_RefusesAnotherTenantsRowOrNoContext_LeavesAnExistingRowAsItIs()
    {
        var a = await Data.TenantAsync("A");
        var b = await Data.TenantAsync("B");
        var (scope, db) = OpenScope(a);
        await using (scope)
        {
            Assert.True(await db.InsertIfAbsentAsync(new ConversationState { SessionId = "session_1", State = "pending", UpdatedAt = DateTimeOffset.UtcNow }, CancellationToken.None));
            Assert.False(await db.InsertIfAbsentAsync(new ConversationState { SessionId = "session_1", State = "resolved", UpdatedAt = DateTimeOffset.UtcNow }, CancellationToken.None));
            await Assert.ThrowsAsync<TenantScopeViolationException>(() => db.InsertIfAbsentAsync(new ConversationState { TenantId = b, SessionId = "session_2", UpdatedAt = DateTimeOffset.UtcNow }, CancellationToken.None));
            var row = Assert.Single(await db.Set<ConversationState>().AsNoTracking().ToListAsync());
            Assert.Equal((a, "pending"), (row.TenantId, row.State));
        }

        var (none, noneDb) = OpenScope();
        await using (none)
        {
            await Assert.ThrowsAsync<TenantScopeViolationException>(() => noneDb.InsertIfAbsentAsync(new ConversationState { SessionId = "session_3", UpdatedAt = DateTimeOffset.UtcNow }, CancellationToken.None));
            Assert.Single(await noneDb.Set<ConversationState>().AcrossTenants().ToListAsync());
        }
    }

    [Fact]
    public void Model_EveryTenantOwnedEntity_HasTheNamedTenantFilter()
    {
        var (scope, db) = OpenScope();
        using var _ = scope;
        var owned = db.Model.GetEntityTypes().Where(t => typeof(ITenantOwned).IsAssignableFrom(t.ClrType)).ToList();
        Assert.NotEmpty(owned);
        foreach (var entityType in owned)
        {
            Assert.Contains(entityType.GetDeclaredQueryFilters(), f => f.Key == HubDbContext.TenantFilter);
        }
    }

    [Fact]
    public void TenantContext_SwitchingTenantInOneScope_IsRefused()
    {
        var context = new TenantContext();
        context.Use(Guid.NewGuid());
        Assert.Throws<TenantScopeViolationException>(() => context.Use(Guid.NewGuid()));
    }
}

public sealed class TenantScopingTestsOnSqlite(SqliteHubFixture fixture) : TenantScopingTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class TenantScopingTestsOnPostgres(PostgresHubFixture fixture) : TenantScopingTests(fixture);
