using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace IntegrationHub.Crisp;

/// <summary>Plugin-tier routes: the plugin's own account, its installs, and per-website settings.</summary>
public sealed class CrispPluginApi
{
    private readonly CrispClient _client;

    internal CrispPluginApi(CrispClient client) => _client = client;

    /// <summary><c>GET /plugin/connect/account</c> → the plugin id behind the token.</summary>
    public Task<CrispPluginAccount> GetAccountAsync(CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispPluginAccount>(HttpMethod.Get, CrispPath.Root("plugin/connect/account"), null, cancellationToken);

    /// <summary><c>HEAD /plugin/connect/session</c>: true when the token is valid. A rejected token throws
    /// <see cref="CrispApiException"/> with status 401 and reason <c>invalid_session</c>.</summary>
    public Task<bool> CheckSessionAsync(CancellationToken cancellationToken = default) =>
        _client.ExistsAsync(CrispPath.Root("plugin/connect/session"), cancellationToken);

    /// <summary><c>GET /plugin/connect/websites/all/{page}</c>; page starts at 1, an empty page ends the list.</summary>
    public Task<IReadOnlyList<CrispConnectWebsite>> ListWebsitesAsync(
        int page, bool filterConfigured = false, bool includePlan = false, CancellationToken cancellationToken = default)
    {
        var path = CrispPath.Root("plugin/connect/websites/all").Page(page)
            .Query("filter_configured", filterConfigured)
            .Query("include_plan", includePlan);
        return _client.SendAsync<IReadOnlyList<CrispConnectWebsite>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary>Every website that installed the plugin, page after page until an empty page.</summary>
    public async IAsyncEnumerable<CrispConnectWebsite> ListAllWebsitesAsync(
        bool filterConfigured = false, bool includePlan = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var page = 1; ; page++)
        {
            var items = await ListWebsitesAsync(page, filterConfigured, includePlan, cancellationToken);
            if (items.Count == 0)
            {
                yield break;
            }

            foreach (var item in items)
            {
                yield return item;
            }
        }
    }

    /// <summary><c>GET /plugin/connect/websites/since?date_since=…</c>: installs changed since <paramref name="since"/>,
    /// each with its <see cref="CrispConnectWebsite.Difference"/>.</summary>
    public Task<IReadOnlyList<CrispConnectWebsite>> ListWebsitesSinceAsync(
        DateTimeOffset since, bool filterConfigured = false, bool includePlan = false, CancellationToken cancellationToken = default)
    {
        var path = CrispPath.Root("plugin/connect/websites/since")
            .Query("date_since", since)
            .Query("filter_configured", filterConfigured)
            .Query("include_plan", includePlan);
        return _client.SendAsync<IReadOnlyList<CrispConnectWebsite>>(HttpMethod.Get, path, null, cancellationToken);
    }

    /// <summary><c>GET /plugins/subscription/{website_id}/{plugin_id}/settings</c>.</summary>
    public Task<CrispSubscriptionSettings> GetSubscriptionSettingsAsync(
        string websiteId, string pluginId, CancellationToken cancellationToken = default) =>
        _client.SendAsync<CrispSubscriptionSettings>(HttpMethod.Get, SettingsPath(websiteId, pluginId), null, cancellationToken);

    /// <summary><c>PUT …/settings</c>: replaces the website's plugin settings with <paramref name="settings"/>.</summary>
    public Task SaveSubscriptionSettingsAsync(
        string websiteId, string pluginId, JsonObject settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _client.SendAsync(HttpMethod.Put, SettingsPath(websiteId, pluginId), CrispClient.JsonBody(settings), cancellationToken);
    }

    /// <summary><c>PATCH …/settings</c>: merges <paramref name="settings"/> into the website's plugin settings.</summary>
    public Task UpdateSubscriptionSettingsAsync(
        string websiteId, string pluginId, JsonObject settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _client.SendAsync(HttpMethod.Patch, SettingsPath(websiteId, pluginId), CrispClient.JsonBody(settings), cancellationToken);
    }

    private static CrispPath SettingsPath(string websiteId, string pluginId) =>
        CrispPath.Root("plugins/subscription")
            .Segment(websiteId, nameof(websiteId))
            .Segment(pluginId, nameof(pluginId))
            .Literal("settings");
}
