using System.Globalization;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// Turns a plan into a sync run: the run, its items and every write as an outbox call, committed in one transaction
/// (so an accepted sync is fully queued or not at all). All writes to one tree share an ordering key, so a folder is
/// created before its files and a file's create → content → metadata run in that order.
/// </summary>
public sealed class HelpdeskSyncRunner(HubDbContext db, TenantContext tenant, CrispCallOutbox outbox, TimeProvider clock)
{
    public async Task<HelpdeskSync> EnqueueAsync(HelpdeskPlan plan, string source, string? startedBy, bool prune, CancellationToken ct)
    {
        var sync = new HelpdeskSync
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenant.Require(),
            Source = source,
            StartedBy = startedBy is null ? null : TextCut.Truncate(startedBy, 256),
            Prune = prune,
            CreatedAt = clock.GetUtcNow(),
        };
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Add(sync);
            var calls = plan.Items.Select(item => item.Writes
                .Select(w => outbox.Enqueue(w.Kind, w.Payload, HelpdeskPaths.OrderingKey(item.Locale, item.ContentType)))
                .ToList()).ToList();
            await db.SaveChangesAsync(ct);
            for (var i = 0; i < plan.Items.Count; i++)
            {
                var item = plan.Items[i];
                sync.Items.Add(new HelpdeskSyncItem
                {
                    TenantId = sync.TenantId,
                    SyncId = sync.Id,
                    Locale = item.Locale,
                    ContentType = item.ContentType,
                    Path = item.Path,
                    PathIsInputName = item.PathIsInputName,
                    Action = item.Action,
                    Detail = item.Detail is null ? null : TextCut.Truncate(item.Detail, 1000),
                    CallIds = string.Join(',', calls[i].Select(c => c.Id.ToString(CultureInfo.InvariantCulture))),
                });
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        });
        return sync;
    }
}

/// <summary>A sync run's progress, read from the state of its calls.</summary>
public sealed record HelpdeskSyncView(HelpdeskSync Sync, string Status, IReadOnlyList<HelpdeskSyncItemView> Items)
{
    public int Count(string action) => Items.Count(i => i.Item.Action == action);
}

public sealed record HelpdeskSyncItemView(HelpdeskSyncItem Item, string Status, int CallsDone, int CallsTotal, string? LastError);

public static class HelpdeskSyncStatus
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Refused = "refused";

    public static async Task<HelpdeskSyncView?> LoadAsync(HubDbContext db, Guid id, CancellationToken ct)
    {
        var sync = await db.Set<HelpdeskSync>().AsNoTracking().Include(s => s.Items).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (sync is null)
        {
            return null;
        }

        var ids = sync.Items.SelectMany(i => i.CallIdList).ToList();
        var calls = await db.Set<CrispCall>().AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Status, c.LastReason, c.LastError })
            .ToDictionaryAsync(c => c.Id, ct);
        var items = sync.Items.OrderBy(i => i.Id).Select(item =>
        {
            var own = item.CallIdList.Select(id => calls.GetValueOrDefault(id)).ToList();
            var done = own.Count(c => c?.Status == CrispCallStatus.Sent);
            var dead = own.FirstOrDefault(c => c?.Status == CrispCallStatus.Dead);
            var status = item.Action == HelpdeskPlanAction.Error ? Refused
                : dead is not null ? Failed
                : done == own.Count ? Done
                : Pending;
            return new HelpdeskSyncItemView(item, status, done, own.Count, dead is null ? null : $"{dead.LastReason}: {dead.LastError}");
        }).ToList();
        var overall = items.Any(i => i.Status == Pending) ? Pending
            : items.Any(i => i.Status == Failed) ? Failed
            : Done;
        return new HelpdeskSyncView(sync, overall, items);
    }
}
