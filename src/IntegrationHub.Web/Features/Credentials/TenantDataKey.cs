using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Credentials;

/// <summary>A tenant's data key, wrapped by the key-encryption key (never stored in the clear).</summary>
public sealed class TenantDataKey : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary><see cref="IntegrationHub.Security.WrappedKey.Format"/>: provider, KEK id and wrapped bytes.</summary>
    public required string WrappedKey { get; set; }

    /// <summary>Which key-encryption key wraps it: rotation finds the rows still under an old one.</summary>
    public required string KekId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RewrappedAt { get; set; }
}
