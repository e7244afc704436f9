using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Kit;

/// <summary>The frontend kit's page in the dashboard: the tenant's ready-to-paste snippet.</summary>
[Authorize]
public sealed class KitController(HubDbContext db) : Controller
{
    public const string Version = "1.0.2";

    [HttpGet("/t/{websiteId}/kit")]
    [RequireTenantRole(TenantRole.Viewer)]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var hasSecret = await db.Set<TenantSecret>().AnyAsync(s => s.Name == SecretNames.IdentityVerificationSecret, cancellationToken);
        var hubUrl = $"{Request.Scheme}://{Request.Host}";
        return View(new KitPageModel(tenant.WebsiteId, tenant.Name, hubUrl, Version, hasSecret));
    }
}

public sealed record KitPageModel(string WebsiteId, string WebsiteName, string HubUrl, string Version, bool HasIdentitySecret);
