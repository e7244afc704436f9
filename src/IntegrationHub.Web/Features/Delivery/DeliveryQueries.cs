using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>The engine's shared questions about the outbox, written once so the dispatcher and drains agree.</summary>
public static class DeliveryQueries
{
    /// <summary>Due now: queued or retrying and due, or sending under a lease that expired (its drain died).</summary>
    public static IQueryable<CrispCall> Due(this IQueryable<CrispCall> calls, DateTimeOffset now) =>
        calls.Where(c => ((c.Status == CrispCallStatus.Queued || c.Status == CrispCallStatus.Retrying) && c.NextAttemptAt <= now)
            || (c.Status == CrispCallStatus.Sending && c.LeaseExpiresAt < now));

    /// <summary>
    /// Due calls that may go now without breaking a contact's order: no lower-id call with the same ordering key is
    /// still waiting (retrying later, in flight elsewhere, or paused). Lower-id calls that are due themselves come
    /// earlier in the same id-ordered batch and are sent first. A dead call does not block the ones after it.
    /// </summary>
    public static IQueryable<CrispCall> Claimable(this DbSet<CrispCall> calls, DateTimeOffset now) =>
        calls.Due(now).Where(c => c.OrderingKey == null || !calls.Any(p =>
            p.OrderingKey == c.OrderingKey && p.Id < c.Id
            && (((p.Status == CrispCallStatus.Queued || p.Status == CrispCallStatus.Retrying) && p.NextAttemptAt > now)
                || (p.Status == CrispCallStatus.Sending && p.LeaseExpiresAt >= now)
                || p.Status == CrispCallStatus.Paused)));

    /// <summary>Hub-wide: the active tenants with due calls (the dispatcher's question). One index probe per tenant
    /// (EXISTS on TenantId, Status, NextAttemptAt), so a tenant with 100,000 queued calls costs no more than one with one.</summary>
    public static IQueryable<Guid> ActiveTenantsWithDueCalls(this HubDbContext db, DateTimeOffset now) =>
        db.Tenants.AcrossTenants()
            .Where(t => t.Status == TenantStatus.Active && db.Set<CrispCall>().AcrossTenants().Due(now).Any(c => c.TenantId == t.Id))
            .Select(t => t.Id);
}
