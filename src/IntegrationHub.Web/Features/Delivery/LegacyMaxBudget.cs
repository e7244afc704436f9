using System.Globalization;
using IntegrationHub.Web.Features.CrispSettings;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// <c>CrispSettings:MaxBudgetPerMinute</c>, the settings pages' old copy of the hub's budget maximum, is honoured as an
/// alias of <c>Delivery:MaxBudgetPerMinute</c> — the one maximum the pages offer and delivery enforces — so a deployment
/// that set only the old key keeps its limit. Both set to different numbers is a mistake worth stopping at start-up
/// for: the hub cannot know which one the operator meant.
/// </summary>
internal static class LegacyMaxBudget
{
    private const string CurrentKey = DeliveryOptions.Section + ":" + nameof(DeliveryOptions.MaxBudgetPerMinute);

    public static void Apply(DeliveryOptions options, IConfiguration configuration)
    {
        var legacy = configuration[CrispSettingsOptions.LegacyMaxBudgetKey];
        if (string.IsNullOrWhiteSpace(legacy))
        {
            return;
        }

        if (!int.TryParse(legacy, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            options.ConfigurationErrors.Add($"{CrispSettingsOptions.LegacyMaxBudgetKey} must be a whole number (it is an alias of {CurrentKey}).");
            return;
        }

        if (string.IsNullOrWhiteSpace(configuration[CurrentKey]))
        {
            options.MaxBudgetPerMinute = value;
        }
        else if (options.MaxBudgetPerMinute != value)
        {
            options.ConfigurationErrors.Add(
                $"{CrispSettingsOptions.LegacyMaxBudgetKey} ({value}) and {CurrentKey} ({options.MaxBudgetPerMinute}) disagree; set only {CurrentKey}.");
        }
    }
}
