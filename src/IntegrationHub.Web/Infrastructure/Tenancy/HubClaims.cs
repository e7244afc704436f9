namespace IntegrationHub.Web.Infrastructure.Tenancy;

public static class HubClaims
{
    /// <summary>Set only by API-key authentication: the tenant the key belongs to.</summary>
    public const string TenantId = "hub:tenant_id";

    public const string ApiKeyId = "hub:api_key_id";
}
