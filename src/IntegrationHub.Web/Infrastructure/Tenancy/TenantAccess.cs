using IntegrationHub.Web.Features.Members;

namespace IntegrationHub.Web.Infrastructure.Tenancy;

/// <summary>What the signed-in user may do in the tenant named by the route; set by <see cref="DashboardTenantResolver"/>.</summary>
public sealed record TenantAccess(Guid TenantId, TenantRole Role, bool IsHubAdministrator)
{
    public bool Allows(TenantRole needed) => Role >= needed;
}
