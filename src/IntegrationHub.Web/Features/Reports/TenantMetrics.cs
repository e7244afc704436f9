using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Reports;

/// <summary>
/// The current tenant's numbers for the overview and the reports. Counts are range queries (one per day and
/// series), which every provider translates and the (tenant, created) indexes serve.
/// </summary>
public sealed class TenantMetrics(HubDbContext db, TimeProvider clock, IOptions<DeliveryOptions> delivery)
{
    public sealed record Overview(
        int EventsLast24h,
        int SentLast24h,
        int DeadLast24h,
        int QueueDepth,
        int Retrying,
        DateTimeOffset? NextRetryAt,
        int BudgetPerMinute,
        int SentLastMinute)
    {
        public double? SuccessRate => SentLast24h + DeadLast24h == 0 ? null : (double)SentLast24h / (SentLast24h + DeadLast24h);

        public double BudgetUse => BudgetPerMinute == 0 ? 0 : Math.Min(1, (double)SentLastMinute / BudgetPerMinute);
    }

    public sealed record DayPoint(DateOnly Day, int Events, int Sent, int Retried, int Dead, int BudgetPerDay);

    public async Task<Overview> OverviewAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var dayAgo = now.AddDays(-1);
        var minuteAgo = now.AddMinutes(-1);
        var calls = db.Set<CrispCall>().AsNoTracking();

        var events = await db.Set<ProductEvent>().AsNoTracking().CountAsync(e => e.AcceptedAt >= dayAgo, cancellationToken);
        var sent = await calls.CountAsync(c => c.Status == CrispCallStatus.Sent && c.CompletedAt >= dayAgo, cancellationToken);
        var dead = await calls.CountAsync(c => c.Status == CrispCallStatus.Dead && c.CompletedAt >= dayAgo, cancellationToken);
        var queue = await calls.CountAsync(c => c.Status == CrispCallStatus.Queued || c.Status == CrispCallStatus.Retrying || c.Status == CrispCallStatus.Sending, cancellationToken);
        var retrying = await calls.CountAsync(c => c.Status == CrispCallStatus.Retrying, cancellationToken);
        var nextRetry = await calls.Where(c => c.Status == CrispCallStatus.Retrying).OrderBy(c => c.NextAttemptAt).Select(c => (DateTimeOffset?)c.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
        var lastMinute = await db.Set<CrispCallAttempt>().AsNoTracking().CountAsync(a => a.StartedAt >= minuteAgo, cancellationToken);
        var settings = await db.Tenants.AsNoTracking().Select(t => t.SettingsJson).SingleAsync(cancellationToken);
        return new Overview(events, sent, dead, queue, retrying, nextRetry, delivery.Value.BudgetPerMinute(settings), lastMinute);
    }

    public async Task<IReadOnlyList<DayPoint>> DailyAsync(int days, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var settings = await db.Tenants.AsNoTracking().Select(t => t.SettingsJson).SingleAsync(cancellationToken);
        var budgetPerDay = delivery.Value.BudgetPerMinute(settings) * 60 * 24;
        var points = new List<DayPoint>(days);
        for (var i = days - 1; i >= 0; i--)
        {
            var day = today.AddDays(-i);
            var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var to = from.AddDays(1);
            var events = await db.Set<ProductEvent>().AsNoTracking().CountAsync(e => e.AcceptedAt >= from && e.AcceptedAt < to, cancellationToken);
            var sent = await db.Set<CrispCall>().AsNoTracking().CountAsync(c => c.Status == CrispCallStatus.Sent && c.CompletedAt >= from && c.CompletedAt < to, cancellationToken);
            var dead = await db.Set<CrispCall>().AsNoTracking().CountAsync(c => c.Status == CrispCallStatus.Dead && c.CompletedAt >= from && c.CompletedAt < to, cancellationToken);
            var retried = await db.Set<CrispCallAttempt>().AsNoTracking().CountAsync(a => a.Outcome != "sent" && a.StartedAt >= from && a.StartedAt < to, cancellationToken);
            points.Add(new DayPoint(day, events, sent, retried, dead, budgetPerDay));
        }

        return points;
    }
}
