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

    /// <summary>
    /// What is wrong with the configured secrets, for one start-up warning: otherwise the operator learns it from a
    /// 401 warning per hook, with installs and uninstalls found only by the syncs meanwhile.
    /// </summary>
    public string? ConfigurationProblem()
    {
        if (mode.IsDemo)
        {
            return null;
        }

        if (string.IsNullOrEmpty(plugin.Value.HookSecret))
        {
            return "Crisp:HookSecret is empty: every Plugin Hook from Crisp (installs, uninstalls, messages) is refused with 401 until it is set; "
                + "installs and uninstalls are found only by the syncs meanwhile.";
        }

        foreach (var (key, value) in new[] { ("Crisp:HookSecret", plugin.Value.HookSecret), ("Crisp:PreviousHookSecret", plugin.Value.PreviousHookSecret) })
        {
            if (value.Length > 0 && value != value.Trim())
            {
                return $"{key} starts or ends with whitespace (a line break from a secrets file?): no signature Crisp makes will match it.";
            }
        }

        return null;
    }
}
