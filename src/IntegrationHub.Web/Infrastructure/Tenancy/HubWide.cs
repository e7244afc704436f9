using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Infrastructure.Tenancy;

/// <summary>
/// The one visible way to read across tenants (installation sync, the administrators' tenant list, API-key
/// lookup before the tenant is known). Searching for <c>HubWide</c> finds every place that does it.
/// </summary>
public static class HubWide
{
    public static IQueryable<T> AcrossTenants<T>(this DbSet<T> set)
        where T : class =>
        set.IgnoreQueryFilters([HubDbContext.TenantFilter]);
}
