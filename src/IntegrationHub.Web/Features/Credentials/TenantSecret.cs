using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Credentials;

/// <summary>One secret of a tenant, encrypted under its data key with the tenant id and name as associated data.</summary>
public sealed class TenantSecret : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public required string Ciphertext { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
