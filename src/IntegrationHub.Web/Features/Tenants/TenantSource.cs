namespace IntegrationHub.Web.Features.Tenants;

public enum TenantSource
{
    /// <summary>Installed through Crisp (hook or sync): Crisp's list of installs is the truth for it.</summary>
    Crisp = 0,

    /// <summary>Added by a hub administrator with <c>tenant add</c>: no sync, unbind hook or not_subscribed answer uninstalls it.</summary>
    Manual = 1,
}
