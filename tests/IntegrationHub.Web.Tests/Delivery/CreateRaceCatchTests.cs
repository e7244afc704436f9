using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Delivery;

/// <summary>
/// Rows that several nodes may create at the same moment (today's quota row, a tenant's auto-reply slots) treat a
/// unique-index refusal as "the other one won" — and only that: any other failure of the insert surfaces instead of
/// being read as a lost race (which silently paused delivery for the day, or left a tenant without reply slots).
/// </summary>
public sealed class CreateRaceCatchTests(SqliteHubFixture fixture) : HubTestBase(fixture), IClassFixture<SqliteHubFixture>
{
    [Fact]
    public async Task PluginQuota_FirstClaimsOfTheDayAtOnce_EveryOneGranted()
    {
        // Each claim runs in its own scope (as drains do); several find no row for today and insert it together.
        var granted = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var (scope, _) = OpenScope();
            await using (scope)
            {
                return await scope.ServiceProvider.GetRequiredService<PluginQuota>().TakeAsync(1, CancellationToken.None);
            }
        })));

        Assert.All(granted, g => Assert.Equal(1, g));
        var (check, db) = OpenScope();
        await using (check)
        {
            var row = Assert.Single(await db.Set<PluginQuotaDay>().ToListAsync());
            Assert.Equal(16, row.Used);
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

    [Fact]
    public async Task AutoReplySlots_AlreadyCreatedByAnotherHook_Kept()
    {
        var tenant = await Data.TenantAsync("Acme");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var (scope, _) = OpenScope(tenant);
            await using (scope)
            {
                await scope.ServiceProvider.GetRequiredService<AutoReplySlots>().EnsureAsync(5, CancellationToken.None);
            }
        })));

        var (check, db) = OpenScope(tenant);
        await using (check)
        {
            Assert.Equal([0, 1, 2, 3, 4], await db.Set<AutoReplySlot>().Select(s => s.Slot).OrderBy(s => s).ToListAsync());
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
