namespace IntegrationHub.Web.Features.Tenants;

public enum TenantStatus
{
    Active = 0,
    Uninstalled = 1,
}
