namespace IntegrationHub.Web.Infrastructure.Tenancy;

/// <summary>
/// A row that belongs to exactly one tenant (one installed Crisp website). The hub's DbContext filters these
/// by the current tenant and refuses to save one that belongs to another tenant.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; }
}
