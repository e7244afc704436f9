using System.Text.Json.Nodes;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>The event as rules see it (and as templates address it).</summary>
public sealed record RuleEvent(string Name, string? Email, string? UserId, JsonObject Properties, DateTimeOffset Timestamp)
{
    /// <summary>The template and condition model: <c>event, email, user_id, timestamp, properties</c>.</summary>
    public JsonObject ToModel() => new()
    {
        ["event"] = Name,
        ["email"] = Email,
        ["user_id"] = UserId,
        ["timestamp"] = Timestamp.ToString("O"),
        ["properties"] = Properties.DeepClone(),
    };
}
