using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Admin;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using SimulatorRefusal = IntegrationHub.CrispSimulator.Infrastructure.CrispApiException;

namespace IntegrationHub.Web.Infrastructure.Crisp;

/// <summary>
/// Demo mode only: websites added by hand (<c>tenant add</c>, the README's first steps) are unknown to the in-process
/// simulator, which — faithful to Crisp — answers <c>not_subscribed</c> for them. So that such a tenant works end to
/// end, the simulator learns it the way it learned the demo website: the plugin is installed on it through the
/// simulator's own admin actions (install hook and all). Websites nobody installed stay unknown to the simulator.
/// The install hook and later syncs converge on the existing row: its source stays <c>Manual</c> and its settings are
/// the ones handed to the simulator here, so nothing the hub holds is overwritten.
/// </summary>
public sealed class DemoHandAddedWebsites(CrispSimulatorAdmin simulator, IServiceScopeFactory scopes, ILogger<DemoHandAddedWebsites> logger)
{
    /// <summary>Installs every active hand-added tenant in the simulator (at start-up; the simulator's state is in memory).</summary>
    public async Task InstallAllAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var tenants = await scope.ServiceProvider.GetRequiredService<HubDbContext>().Tenants.AcrossTenants().AsNoTracking()
            .Where(t => t.Source == TenantSource.Manual && t.Status == TenantStatus.Active)
            .ToListAsync(cancellationToken);
        foreach (var tenant in tenants)
        {
            Install(tenant);
        }
    }

    /// <summary>Installs one hand-added tenant's website in the simulator unless it is already installed there.</summary>
    public void Install(Tenant tenant)
    {
        if (tenant.Source != TenantSource.Manual || tenant.Status != TenantStatus.Active)
        {
            return; // only what an administrator added by hand; Crisp's own installs are the simulator's business
        }

        try
        {
            var settings = ParseSettings(tenant.SettingsJson);
            var domain = string.IsNullOrWhiteSpace(tenant.Domain) ? $"{tenant.WebsiteId[..8]}.example" : tenant.Domain;
            simulator.InstallWebsite(tenant.WebsiteId, tenant.Name, domain, settings);
            logger.LogInformation("Demo mode: website {WebsiteId} (added by hand) installed in the Crisp simulator.", tenant.WebsiteId);
        }
        catch (SimulatorRefusal refusal) when (refusal.Reason == "website_exists")
        {
            // Already there: nothing to do.
        }
    }

    private static JsonObject? ParseSettings(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
