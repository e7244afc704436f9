using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Reports;

[Authorize]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class ReportsController(TenantMetrics metrics, HubDbContext db) : Controller
{
    [HttpGet("/t/{websiteId}/reports")]
    public async Task<IActionResult> Index(int days = 14, CancellationToken cancellationToken = default)
    {
        days = Math.Clamp(days, 7, 60);
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        return View(new ReportsModel(tenant, days, await metrics.DailyAsync(days, cancellationToken)));
    }
}

public sealed record ReportsModel(Tenants.Tenant Website, int Days, IReadOnlyList<TenantMetrics.DayPoint> Points);
