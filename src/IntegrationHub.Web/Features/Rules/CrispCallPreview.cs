using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Delivery;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// The HTTP requests the delivery engine makes for one outbox call, as the dry-run preview shows them. Reads that
/// depend on Crisp's current state (a people_id lookup, the conversation's meta) are listed as such; the cached
/// people_id makes the lookup free after the first event of a contact.
/// </summary>
public static class CrispCallPreview
{
    public sealed record HttpCall(string Method, string Path, JsonNode? Body, string? Note = null);

    public static IReadOnlyList<HttpCall> Describe(string websiteId, string kind, JsonObject payload)
    {
        var w = $"/v1/website/{websiteId}";
        var email = payload["email"]?.GetValue<string>() ?? string.Empty;
        var people = Uri.EscapeDataString(email);
        return kind switch
        {
            CrispCallKinds.PeopleEventAdd =>
                [new("POST", $"{w}/people/events/{people}", new JsonObject { ["text"] = payload["text"]?.DeepClone(), ["data"] = payload["data"]?.DeepClone(), ["color"] = payload["color"]?.DeepClone() })],
            CrispCallKinds.PeopleDataMerge =>
                [new("PATCH", $"{w}/people/data/{people}", new JsonObject { ["data"] = payload["data"]?.DeepClone() }, "merges the keys; other keys are kept")],
            CrispCallKinds.PeopleProfileUpsert =>
                [new("PATCH", $"{w}/people/profile/{people}", payload.DeepClone(), "creates the profile first (POST people/profile) when it does not exist")],
            CrispCallKinds.PeopleSegmentsAdd or CrispCallKinds.PeopleSegmentsRemove =>
            [
                new("GET", $"{w}/people/profile/{people}", null, "reads the current segments"),
                new("PATCH", $"{w}/people/profile/{people}", new JsonObject { ["segments"] = payload["segments"]?.DeepClone() },
                    kind == CrispCallKinds.PeopleSegmentsAdd ? "current segments plus these" : "current segments minus these"),
            ],
            CrispCallKinds.SessionDataMerge =>
            [
                new("GET", $"{w}/people/conversations/{people}/list/1", null, "finds the contact's open conversation"),
                new("GET", $"{w}/conversation/{{session_id}}/meta", null, "reads the current session data"),
                new("PATCH", $"{w}/conversation/{{session_id}}/meta", new JsonObject { ["data"] = payload["data"]?.DeepClone() }, "the current session data merged with these keys"),
            ],
            CrispCallKinds.ConversationSegmentsAdd or CrispCallKinds.ConversationSegmentsRemove =>
            [
                new("GET", $"{w}/people/conversations/{people}/list/1", null, "finds the contact's open conversation"),
                new("GET", $"{w}/conversation/{{session_id}}/meta", null, "reads the current segments"),
                new("PATCH", $"{w}/conversation/{{session_id}}/meta", new JsonObject { ["segments"] = payload["segments"]?.DeepClone() },
                    kind == CrispCallKinds.ConversationSegmentsAdd ? "current segments plus these" : "current segments minus these"),
            ],
            CrispCallKinds.ConversationNote =>
            [
                new("GET", $"{w}/people/conversations/{people}/list/1", null, "finds the contact's open conversation"),
                new("POST", $"{w}/conversation/{{session_id}}/message", new JsonObject { ["type"] = "note", ["from"] = "operator", ["origin"] = "chat", ["content"] = payload["content"]?.DeepClone() }),
            ],
            CrispCallKinds.CampaignDispatch =>
                [new("POST", $"{w}/campaign/{payload["campaign_id"]?.GetValue<string>()}/dispatch", null)],
            _ => [new("?", kind, payload.DeepClone())],
        };
    }
}
