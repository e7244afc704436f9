using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Tenants;

/// <summary>An installed Crisp website. Its id is Crisp's website_id, so every Crisp-shaped id maps 1:1.</summary>
public sealed class Tenant : ITenantOwned
{
    public Guid Id { get; set; }

    Guid ITenantOwned.TenantId => Id;

    public required string Name { get; set; }

    public string? Domain { get; set; }

    public TenantStatus Status { get; set; } = TenantStatus.Active;

    /// <summary>How the hub learned of this website: from Crisp, or by an administrator's hand (development).</summary>
    public TenantSource Source { get; set; } = TenantSource.Crisp;

    /// <summary>The plugin settings as Crisp holds them (JSON object).</summary>
    public string SettingsJson { get; set; } = "{}";

    public DateTimeOffset InstalledAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? UninstalledAt { get; set; }

    public string WebsiteId => Id.ToString("D");
}
