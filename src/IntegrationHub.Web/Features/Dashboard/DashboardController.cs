using System.Security.Claims;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Dashboard;

[Authorize]
public sealed class DashboardController(HubDbContext db, PluginQuota quota, Reports.TenantMetrics metrics) : Controller
{
    /// <summary>Administrators see every tenant; members see the tenants they belong to.</summary>
    [HttpGet("/")]
    public async Task<IActionResult> Index(string? page, CancellationToken cancellationToken)
    {
        List<TenantSummary> tenants;
        Pager pager;
        if (User.IsInRole(HubRoles.Administrator))
        {
            (tenants, pager) = await Paging.PageAsync(
                db.Tenants.AcrossTenants().AsNoTracking()
                    .OrderBy(t => t.Name).ThenBy(t => t.Id)
                    .Select(t => new TenantSummary(t.Id, t.Name, t.Domain, t.Status, null, 0, 0)),
                page, "/", cancellationToken);

            // The administrators' view across tenants: queue depth and failures per website on this page.
            var ids = tenants.Select(t => t.Id).ToList();
            var dayAgo = DateTimeOffset.UtcNow.AddDays(-1);
            var queued = await db.Set<CrispCall>().AcrossTenants()
                .Where(c => ids.Contains(c.TenantId))
                .Where(c => c.Status == CrispCallStatus.Queued || c.Status == CrispCallStatus.Retrying || c.Status == CrispCallStatus.Sending)
                .GroupBy(c => c.TenantId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
            var dead = await db.Set<CrispCall>().AcrossTenants()
                .Where(c => ids.Contains(c.TenantId))
                .Where(c => c.Status == CrispCallStatus.Dead && c.CompletedAt >= dayAgo)
                .GroupBy(c => c.TenantId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
            tenants = tenants.Select(t => t with { QueueDepth = queued.GetValueOrDefault(t.Id), FailuresLast24h = dead.GetValueOrDefault(t.Id) }).ToList();
        }
        else
        {
            var userId = User.FindFirstValue(ClaimTypes.NameIdentifier);
            (tenants, pager) = await Paging.PageAsync(
                (from m in db.Memberships.AcrossTenants()
                 join t in db.Tenants.AcrossTenants() on m.TenantId equals t.Id
                 where m.UserId == userId
                 orderby t.Name, t.Id
                 select new TenantSummary(t.Id, t.Name, t.Domain, t.Status, m.Role, 0, 0))
                    .AsNoTracking(),
                page, "/", cancellationToken);
        }

        return View(new DashboardIndexModel(tenants, User.IsInRole(HubRoles.Administrator), await quota.GetStatusAsync(cancellationToken), pager));
    }

    [HttpGet("/t/{websiteId}")]
    [RequireTenantRole(TenantRole.Viewer)]
    public async Task<IActionResult> Tenant(CancellationToken cancellationToken)
    {
        // Scoped by the query filter to the tenant the resolver admitted: the route id is never trusted alone.
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var access = HttpContext.Features.Get<TenantAccess>()!;
        var apiKeys = await db.ApiKeys.CountAsync(k => k.RevokedAt == null, cancellationToken);
        var members = await db.Memberships.CountAsync(cancellationToken);
        return View(new TenantOverviewModel(tenant, access.Role, apiKeys, members, await metrics.OverviewAsync(cancellationToken)));
    }
}

public sealed record TenantSummary(Guid Id, string Name, string? Domain, TenantStatus Status, TenantRole? Role, int QueueDepth = 0, int FailuresLast24h = 0);

public sealed record DashboardIndexModel(IReadOnlyList<TenantSummary> Tenants, bool IsAdministrator, QuotaStatus? Quota = null, Pager? Pager = null);

public sealed record TenantOverviewModel(Tenant Tenant, TenantRole Role, int ActiveApiKeys, int Members, Reports.TenantMetrics.Overview Metrics);

public sealed record TenantNavModel(string WebsiteId, string Current);
