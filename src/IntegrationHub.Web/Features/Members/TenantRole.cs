namespace IntegrationHub.Web.Features.Members;

/// <summary>Ordered by power: a check for Editor also admits Owner.</summary>
public enum TenantRole
{
    Viewer = 0,
    Editor = 1,
    Owner = 2,
}
