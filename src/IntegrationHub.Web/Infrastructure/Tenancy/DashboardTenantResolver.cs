using System.Security.Claims;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Infrastructure.Tenancy;

/// <summary>
/// Runs after routing and authentication. A route with <c>{websiteId}</c> is served only to a member of that
/// tenant (or a hub administrator); anyone else gets 404 — the same answer as for a tenant that does not exist,
/// so ids cannot be probed. API-key callers get their tenant from the key, never from the URL.
/// </summary>
public sealed class DashboardTenantResolver(RequestDelegate next)
{
    public const string RouteKey = "websiteId";

    // The context is resolved only for dashboard routes: injecting it here made every request (API ingest
    // included) construct a DbContext it never used.
    public async Task InvokeAsync(HttpContext context, TenantContext tenant)
    {
        if (context.GetRouteValue(RouteKey) is string routeValue && context.User.Identity?.IsAuthenticated == true
            && context.User.FindFirstValue(HubClaims.TenantId) is null)
        {
            var db = context.RequestServices.GetRequiredService<HubDbContext>();
            var access = await ResolveAsync(context.User, routeValue, db, context.RequestAborted);
            if (access is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            tenant.Use(access.TenantId);
            context.Features.Set(access);
        }

        await next(context);
    }

    private static async Task<TenantAccess?> ResolveAsync(ClaimsPrincipal user, string routeValue, HubDbContext db, CancellationToken ct)
    {
        if (!Guid.TryParse(routeValue, out var websiteId))
        {
            return null;
        }

        var exists = await db.Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId, ct);
        if (!exists)
        {
            return null;
        }

        if (user.IsInRole(HubRoles.Administrator))
        {
            return new TenantAccess(websiteId, TenantRole.Owner, IsHubAdministrator: true);
        }

        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var membership = await db.Memberships.AcrossTenants()
            .Where(m => m.TenantId == websiteId && m.UserId == userId)
            .Select(m => (TenantRole?)m.Role)
            .FirstOrDefaultAsync(ct);

        return membership is { } role ? new TenantAccess(websiteId, role, IsHubAdministrator: false) : null;
    }
}
