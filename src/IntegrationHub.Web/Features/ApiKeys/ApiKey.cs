using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.ApiKeys;

/// <summary>
/// A customer backend's key. Only a SHA-256 hash of the secret is kept; the visible prefix lets people tell
/// keys apart and lets the hub find the row without scanning.
/// </summary>
public sealed class ApiKey : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    public required string SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;
}
