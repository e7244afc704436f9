using System.Text.Json.Nodes;

namespace IntegrationHub.Web.Features.Installations;

/// <summary>
/// What Crisp says about one website's subscription, from a sync page or a hook. <c>SavedAt</c> is when the settings
/// were saved in Crisp's dashboard (a <c>plugin:settings:saved</c> hook's timestamp); null when only Crisp's current
/// copy is known (syncs, install hooks).
/// </summary>
public sealed record CrispInstall(Guid WebsiteId, string? Token, JsonObject? Settings, DateTimeOffset? SavedAt = null);
