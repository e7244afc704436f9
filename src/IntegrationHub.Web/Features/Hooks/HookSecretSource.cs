using IntegrationHub.CrispSimulator;
using IntegrationHub.Web.Infrastructure.Crisp;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Hooks;

/// <summary>The signing secrets hooks are checked against: the current one and, during a rotation, the previous.</summary>
public sealed class HookSecretSource(IOptions<CrispPluginOptions> plugin, HubCrispMode mode, IServiceProvider services)
{
    public IReadOnlyList<string> Active()
    {
        if (mode.IsDemo)
        {
            return [services.GetRequiredService<IOptions<SimulatorOptions>>().Value.HookSecret];
        }

        return new[] { plugin.Value.HookSecret, plugin.Value.PreviousHookSecret }.Where(s => !string.IsNullOrEmpty(s)).ToArray();
    }
}
