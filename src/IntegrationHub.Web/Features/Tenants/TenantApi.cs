using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Tenants;

public static class TenantApi
{
    /// <summary>The caller's own website, as the hub knows it.</summary>
    public sealed record TenantResponse(string WebsiteId, string Name, string? Domain, string Status, DateTimeOffset InstalledAt);

    public static RouteGroupBuilder MapTenantApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tenant", GetAsync)
            .WithName("GetTenant")
            .WithTags("Tenant")
            .WithSummary("The website this API key belongs to")
            .WithDescription("Use it to check that a key works and which Crisp website it acts for.");
        return api;
    }

    private static async Task<Results<Ok<TenantResponse>, NotFound>> GetAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        // The query filter scopes this to the key's tenant: no id from the caller is involved.
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return tenant is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new TenantResponse(tenant.WebsiteId, tenant.Name, tenant.Domain, tenant.Status.ToString().ToLowerInvariant(), tenant.InstalledAt));
    }
}
