using System.Text.Json.Nodes;

namespace IntegrationHub.Web.Features.Installations;

/// <summary>What Crisp says about one website's subscription, from a sync page or a hook.</summary>
public sealed record CrispInstall(Guid WebsiteId, string? Token, JsonObject? Settings);
