using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Infrastructure.Api;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>The event as rules see it (and as templates address it).</summary>
public sealed record RuleEvent(string Name, string? Email, string? UserId, JsonObject Properties, DateTimeOffset Timestamp)
{
    /// <summary>A stored event as rules see it: what ingestion plans from.</summary>
    public static RuleEvent From(ProductEvent stored) =>
        new(stored.Name, stored.Email, stored.UserId, JsonNode.Parse(stored.Properties) as JsonObject ?? [], stored.OccurredAt);

    /// <summary>
    /// An event to preview, read by <see cref="EventRules.Read"/> like <c>POST /api/v1/events</c>: one the API would
    /// refuse is refused with the API's messages (a preview of it would show calls no event could ever make), and
    /// the email is normalised as ingestion stores it.
    /// </summary>
    public static RuleEvent? Read(JsonElement item, string path, FieldErrors errors, DateTimeOffset now) =>
        EventRules.Read(item, path, errors, now) is { } row ? From(row) : null;

    /// <summary>
    /// The template and condition model: <c>event, email, user_id, timestamp, properties</c>. An email or user id the
    /// event was not given is left out rather than null, so that <c>exists</c> tells it from a property sent as null.
    /// </summary>
    public JsonObject ToModel()
    {
        var model = new JsonObject { ["event"] = Name };
        if (Email is not null)
        {
            model["email"] = Email;
        }

        if (UserId is not null)
        {
            model["user_id"] = UserId;
        }

        model["timestamp"] = Timestamp.ToString("O");
        model["properties"] = Properties.DeepClone();
        return model;
    }
}
