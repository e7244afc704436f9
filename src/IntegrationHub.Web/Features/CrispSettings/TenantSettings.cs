using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IntegrationHub.Web.Features.CrispSettings;

/// <summary>
/// The plugin settings a website's admin controls, as stored in Crisp's subscription settings (and copied here).
/// Unknown keys that Crisp holds are kept untouched when the hub writes these back.
/// </summary>
public sealed record TenantSettings
{
    /// <summary>The settings forms' budget when a submission leaves it out (the pages always fill it in).</summary>
    public const int DefaultBudgetPerMinute = 30;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [JsonPropertyName("features")]
    public TenantFeatures Features { get; init; } = new();

    /// <summary>
    /// Crisp calls per minute the hub may make for this website (within the hub's maximum); none written means the
    /// hub's <c>Delivery:DefaultBudgetPerMinute</c>, whatever it is at the time.
    /// </summary>
    [JsonPropertyName(BudgetKey)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RateBudgetPerMinute { get; init; }

    [JsonPropertyName("display_name")]
    public string? DisplayName { get; init; }

    public const int MaxDisplayNameLength = 200;

    /// <summary>
    /// Why a display name typed into a settings form cannot be stored, or null. It becomes the website's name, shown
    /// on every dashboard page and in <c>tenant list</c>'s tab-separated lines, where a tab or line break would split
    /// one website into several lines (as the CLI's <c>--name</c> refuses them too).
    /// </summary>
    public static string? DisplayNameError(string? name) =>
        name is null ? null
        : name.Length > MaxDisplayNameLength ? $"At most {MaxDisplayNameLength} characters."
        : name.Any(char.IsControl) ? "No tabs, line breaks or other control characters."
        : null;

    public static TenantSettings Parse(string? json)
    {
        JsonObject? root;
        try
        {
            root = string.IsNullOrWhiteSpace(json) ? null : JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }

        if (root is null)
        {
            return new TenantSettings();
        }

        // Value by value: one value of the wrong type (settings written by hand in Crisp) falls back to its own default.
        // Read as one object, any such value threw and every choice went back to the defaults — a relay or events
        // switch the website had turned off came back on because of, say, a budget written as "50".
        var features = root["features"] as JsonObject;
        var defaults = new TenantFeatures();
        return new TenantSettings
        {
            DisplayName = root["display_name"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : null,
            RateBudgetPerMinute = UsableBudget(root[BudgetKey]),
            Features = new TenantFeatures
            {
                Events = Switch(features, "events", defaults.Events),
                Relay = Switch(features, "relay", defaults.Relay),
                Helpdesk = Switch(features, "helpdesk", defaults.Helpdesk),
                AutoReplies = Switch(features, "auto_replies", defaults.AutoReplies),
            },
        };
    }

    private static bool Switch(JsonObject? features, string name, bool fallback) =>
        features?[name] is JsonValue value && value.TryGetValue<bool>(out var on) ? on : fallback;

    /// <summary>These settings merged over whatever else the stored JSON holds.</summary>
    public JsonObject MergeInto(string? existingJson)
    {
        JsonObject target;
        try
        {
            target = JsonNode.Parse(string.IsNullOrWhiteSpace(existingJson) ? "{}" : existingJson) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            target = [];
        }

        var mine = JsonSerializer.SerializeToNode(this, Json)!.AsObject();
        foreach (var (key, value) in mine)
        {
            target[key] = value?.DeepClone();
        }

        // No budget chosen here, and the stored one is unusable (a string, a fraction: delivery already ignores it):
        // drop it, or Parse would keep failing on it and these saved features would never be read.
        if (RateBudgetPerMinute is null && target.ContainsKey(BudgetKey) && UsableBudget(target[BudgetKey]) is null)
        {
            target.Remove(BudgetKey);
        }

        return target;
    }

    /// <summary>The website's own budget in stored settings, if they hold a usable one (a whole number above 0).</summary>
    public static int? ChosenBudget(string? json)
    {
        try
        {
            return JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) is JsonObject settings ? UsableBudget(settings[BudgetKey]) : null;
        }
        catch (JsonException)
        {
            // Hand-edited settings with the wrong shape: the hub default applies.
            return null;
        }
    }

    private static int? UsableBudget(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var perMinute) && perMinute > 0 ? perMinute : null;

    private const string BudgetKey = "rate_budget_per_minute";
}

public sealed record TenantFeatures
{
    [JsonPropertyName("events")]
    public bool Events { get; init; } = true;

    [JsonPropertyName("relay")]
    public bool Relay { get; init; } = true;

    [JsonPropertyName("helpdesk")]
    public bool Helpdesk { get; init; } = true;

    [JsonPropertyName("auto_replies")]
    public bool AutoReplies { get; init; }
}
