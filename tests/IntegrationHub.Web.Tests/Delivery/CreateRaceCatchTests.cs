using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// A SQLite hub where, while <see cref="OtherNodeFirst"/> is set, "another node" stores the same quota row or
/// auto-reply slots a moment before the hub's own insert of them: the lost race, every time.
/// </summary>
public sealed class LostCreateRaceSqliteFixture : SqliteHubFixture
{
    private static readonly AsyncLocal<bool> AsTheOtherNode = new();

    public bool OtherNodeFirst { get; set; }

    protected override Action<IServiceCollection>? Services => services =>
        services.ConfigureDbContext<SqliteHubDbContext>(options => options.AddInterceptors(new OtherNodeSavesFirst(this)));

    private sealed class OtherNodeSavesFirst(LostCreateRaceSqliteFixture fixture) : SaveChangesInterceptor
    {
        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (!fixture.OtherNodeFirst || AsTheOtherNode.Value || eventData.Context is null)
            {
                return result;
            }

            var added = eventData.Context.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
            AsTheOtherNode.Value = true;
            try
            {
                foreach (var quota in added.OfType<PluginQuotaDay>())
                {
                    await SaveAsync(null, new PluginQuotaDay { Day = quota.Day });
                }

                foreach (var slot in added.OfType<AutoReplySlot>())
                {
                    await SaveAsync(slot.TenantId, new AutoReplySlot { TenantId = slot.TenantId, Slot = slot.Slot });
                }
            }
            finally
            {
                AsTheOtherNode.Value = false;
            }

            return result;
        }

        private async Task SaveAsync(Guid? tenantId, object row)
        {
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            if (tenantId is { } id)
            {
                scope.ServiceProvider.GetRequiredService<TenantContext>().Use(id);
            }

            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            db.Add(row);
            await db.SaveChangesAsync();
        }
    }
}

/// <summary>
/// Rows that several nodes may create at the same moment (today's quota row, a tenant's auto-reply slots) treat a
/// unique-index refusal as "the other one won" — and only that: any other failure of the insert surfaces instead of
/// being read as a lost race (which silently paused delivery for the day, or left a tenant without reply slots).
/// </summary>
public sealed class CreateRaceCatchTests(LostCreateRaceSqliteFixture fixture) : HubTestBase(fixture), IClassFixture<LostCreateRaceSqliteFixture>, IDisposable
{
    public void Dispose() => fixture.OtherNodeFirst = false;

    [Fact]
    public async Task PluginQuota_AnotherNodeCreatedTodaysRowFirst_TheClaimIsStillGranted()
    {
        fixture.OtherNodeFirst = true;
        var (scope, _) = OpenScope();
        await using (scope)
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<PluginQuota>().TakeAsync(1, CancellationToken.None));
        }

        var (check, db) = OpenScope();
        await using (check)
        {
            var row = Assert.Single(await db.Set<PluginQuotaDay>().ToListAsync());
            Assert.Equal(1, row.Used);
        }
    }

    [Fact]
    public async Task AutoReplySlots_AnotherHookCreatedThemFirst_TheirRowsServe()
    {
        var tenant = await Data.TenantAsync("Acme");
        fixture.OtherNodeFirst = true;
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<AutoReplySlots>().EnsureAsync(3, CancellationToken.None);
        }

        var (check, db) = OpenScope(tenant);
        await using (check)
        {
            Assert.Equal([0, 1, 2], await db.Set<AutoReplySlot>().Select(s => s.Slot).OrderBy(s => s).ToListAsync());
        }
    }

    [Fact]
    public async Task PluginQuota_TodaysRowRefusedForAnotherReason_TheFailureSurfaces()
    {
        await using var refusal = await RefuseInsertsAsync("plugin_quota");
        var (scope, _) = OpenScope();
        await using (scope)
        {
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => scope.ServiceProvider.GetRequiredService<PluginQuota>().TakeAsync(1, CancellationToken.None));
            Assert.Contains("refused by the test", error.GetBaseException().Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AutoReplySlots_SlotsRefusedForAnotherReason_TheFailureSurfaces()
    {
        var tenant = await Data.TenantAsync("Acme");
        await using var refusal = await RefuseInsertsAsync("auto_reply_slots");
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            var error = await Assert.ThrowsAsync<DbUpdateException>(() => scope.ServiceProvider.GetRequiredService<AutoReplySlots>().EnsureAsync(3, CancellationToken.None));
            Assert.Contains("refused by the test", error.GetBaseException().Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A trigger that aborts every insert into <paramref name="table"/> (a constraint failure, not a unique one)
    /// until disposed.</summary>
    private async Task<IAsyncDisposable> RefuseInsertsAsync(string table)
    {
        await ExecuteAsync($"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
        return new Undo(() => ExecuteAsync($"DROP TRIGGER IF EXISTS refuse_{table};"));
    }

    private async Task ExecuteAsync(string sql)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            await db.Database.ExecuteSqlRawAsync(sql);
        }
    }

    private sealed class Undo(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }
}
