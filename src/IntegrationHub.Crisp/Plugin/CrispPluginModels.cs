using System.Text.Json.Nodes;

namespace IntegrationHub.Crisp;

/// <summary><c>GET /plugin/connect/account</c>.</summary>
public sealed record CrispPluginAccount(string PluginId);

/// <summary>A website that installed the plugin (<c>/plugin/connect/websites/…</c>).</summary>
public sealed record CrispConnectWebsite
{
    public required string WebsiteId { get; init; }

    /// <summary>Subscription token; the Crisp dashboard passes it to the plugin's settings page.</summary>
    public string? Token { get; init; }

    /// <summary>The website's plugin settings (free-form, validated by the plugin's JSON schema).</summary>
    public JsonObject? Settings { get; init; }

    public JsonNode? Price { get; init; }

    /// <summary>Present when listed with <c>include_plan</c>.</summary>
    public CrispWebsitePlan? Plan { get; init; }

    /// <summary>Only on <c>/websites/since</c>: what changed (e.g. added, removed, updated).</summary>
    public string? Difference { get; init; }
}

public sealed record CrispWebsitePlan(string? Id, string? Name, bool? Trialing);

/// <summary><c>GET /plugins/subscription/{website_id}/{plugin_id}/settings</c>.</summary>
public sealed record CrispSubscriptionSettings
{
    public string? PluginId { get; init; }

    public string? WebsiteId { get; init; }

    public string? Token { get; init; }

    public JsonObject? Schema { get; init; }

    public JsonObject? Settings { get; init; }

    public string? SettingsFormUrl { get; init; }

    public string? CallbackUrl { get; init; }
}
