using IntegrationHub.Crisp;
using IntegrationHub.CrispSimulator;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Crisp;

/// <summary>The plugin's own id, from configuration or (once, then remembered) from Crisp's account route.</summary>
public sealed class PluginIdentity(IOptions<CrispPluginOptions> options, HubCrispMode mode, IServiceProvider services)
{
    private string? _pluginId;

    public async Task<string> GetPluginIdAsync(CancellationToken cancellationToken)
    {
        if (_pluginId is not null)
        {
            return _pluginId;
        }

        if (mode.IsDemo)
        {
            return _pluginId = services.GetRequiredService<IOptions<SimulatorOptions>>().Value.PluginId;
        }

        if (!string.IsNullOrWhiteSpace(options.Value.PluginId))
        {
            return _pluginId = options.Value.PluginId;
        }

        await using var scope = services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<CrispClient>().Plugin.GetAccountAsync(cancellationToken);
        return _pluginId = account.PluginId;
    }
}
