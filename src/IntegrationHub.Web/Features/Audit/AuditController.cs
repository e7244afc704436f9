using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Audit;

/// <summary>The tenant's audit log, newest first, paged by id (keyset).</summary>
[Authorize]
[Route("t/{websiteId}/audit")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class AuditController(HubDbContext db) : Controller
{
    public const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index(long? before, CancellationToken cancellationToken)
    {
        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (before is { } beforeId)
        {
            query = query.Where(a => a.Id < beforeId);
        }

        var entries = await query.OrderByDescending(a => a.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        long? older = entries.Count > PageSize ? entries[PageSize - 1].Id : null;
        return View(new AuditPageModel(website, [.. entries.Take(PageSize)], before is not null, older));
    }
}

public sealed record AuditPageModel(Tenants.Tenant Website, IReadOnlyList<AuditEntry> Entries, bool IsOlderPage, long? OlderBefore);
