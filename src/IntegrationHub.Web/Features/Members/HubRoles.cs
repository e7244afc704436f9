namespace IntegrationHub.Web.Features.Members;

public static class HubRoles
{
    /// <summary>Sees and manages every tenant. Impersonation of tenant members is deliberately not offered.</summary>
    public const string Administrator = "HubAdministrator";
}
