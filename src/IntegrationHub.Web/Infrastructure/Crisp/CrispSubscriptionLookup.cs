using IntegrationHub.Crisp;

namespace IntegrationHub.Web.Infrastructure.Crisp;

public static class CrispSubscriptionLookup
{
    /// <summary>
    /// Crisp's word on whether the plugin is installed on a website: its subscription (token and settings), or null
    /// when Crisp answers that it is not (404 <c>not_subscribed</c>, also for an unknown website). Any other failure
    /// throws, for the caller's retry. The one place that reads "not subscribed" for hooks, syncs and deliveries.
    /// </summary>
    public static async Task<CrispSubscriptionSettings?> FindSubscriptionAsync(this CrispClient crisp, PluginIdentity plugin, Guid websiteId, CancellationToken cancellationToken)
    {
        try
        {
            return await crisp.Plugin.GetSubscriptionSettingsAsync(websiteId.ToString("D"), await plugin.GetPluginIdAsync(cancellationToken), cancellationToken);
        }
        catch (CrispApiException ex) when (ex.StatusCode == StatusCodes.Status404NotFound || ex.Reason == "not_subscribed")
        {
            return null;
        }
    }
}
