using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.People;
using IntegrationHub.CrispSimulator.Plugin;

namespace IntegrationHub.CrispSimulator.Conversations;

/// <summary>Conversation mutations shared by the REST API and the admin API; each emits its hook. Call under the state lock.</summary>
public static class ConversationOps
{
    public static readonly IReadOnlyList<string> States = ["pending", "unresolved", "resolved"];

    public static SimConversation Create(CrispSimulatorState state, SimWebsite website, string? sessionId = null)
    {
        var now = state.NowMs;
        var conversation = new SimConversation
        {
            SessionId = sessionId ?? $"session_{Guid.NewGuid()}",
            WebsiteId = website.WebsiteId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        website.Conversations.Add(conversation);
        return conversation;
    }

    public static SimConversation? Find(SimWebsite website, string sessionId) =>
        website.Conversations.Find(c => string.Equals(c.SessionId, sessionId, StringComparison.Ordinal));

    /// <summary>Adds a message; a visitor (<c>from=user</c>) message emits <c>message:send</c>, an operator one <c>message:received</c>.</summary>
    public static SimMessage AddMessage(
        CrispSimulatorState state, SimWebsite website, SimConversation conversation, string type, string from, string origin, JsonNode content,
        JsonObject? user = null, List<string>? mentions = null, bool stealth = false, bool automated = false, long? fingerprint = null)
    {
        var now = state.NowMs;
        var message = new SimMessage
        {
            Fingerprint = fingerprint ?? NewFingerprint(),
            Type = type,
            From = from,
            Origin = origin,
            Content = content,
            User = user,
            Mentions = mentions ?? [],
            Stealth = stealth,
            Automated = automated,
            Timestamp = now,
        };
        conversation.Messages.Add(message);
        conversation.UpdatedAt = now;
        if (from == "user")
        {
            conversation.UnreadOperator++;
            conversation.WaitingSince ??= now;
            if (conversation.State == "resolved")
            {
                conversation.State = "unresolved";
            }
        }
        else
        {
            conversation.WaitingSince = null;
            if (type != "note")
            {
                conversation.UnreadVisitor++;
            }
        }

        var payload = new JsonObject
        {
            ["website_id"] = website.WebsiteId,
            ["session_id"] = conversation.SessionId,
            ["inbox_id"] = null,
            ["type"] = type,
            ["from"] = from,
            ["origin"] = origin,
            ["content"] = content.DeepClone(),
            ["fingerprint"] = message.Fingerprint,
            ["timestamp"] = now,
            ["user"] = user?.DeepClone() ?? new JsonObject(),
            ["stamped"] = true,
            ["automated"] = automated,
        };
        if (mentions is { Count: > 0 })
        {
            payload["mentions"] = new JsonArray([.. mentions.Select(m => JsonValue.Create(m))]);
        }

        state.EmitHook(website.WebsiteId, from == "user" ? "message:send" : "message:received", payload);
        return message;
    }

    public static void SetState(CrispSimulatorState state, SimWebsite website, SimConversation conversation, string newState)
    {
        if (!States.Contains(newState))
        {
            throw Infrastructure.CrispApiException.InvalidData("'state' must be pending, unresolved or resolved.");
        }

        conversation.State = newState;
        conversation.UpdatedAt = state.NowMs;
        var data = SessionEvent(conversation);
        data["state"] = newState;
        state.EmitHook(website.WebsiteId, "session:set_state", data);
    }

    /// <summary>
    /// The fields every session hook carries in Crisp (crisp-api.md §8: <c>website_id, session_id, inbox_id</c>); the
    /// event adds its own. The simulator has no inboxes, so <c>inbox_id</c> is null, as in its conversations.
    /// </summary>
    public static JsonObject SessionEvent(SimConversation conversation) => new()
    {
        ["website_id"] = conversation.WebsiteId,
        ["session_id"] = conversation.SessionId,
        ["inbox_id"] = null,
    };

    /// <summary>Sets the conversation email and links it to the people profile with that email, if any.</summary>
    public static void SetEmail(SimWebsite website, SimConversation conversation, string email)
    {
        conversation.Meta.Email = email;
        conversation.PeopleId = email.Length == 0 ? null : PeopleEndpoints.FindOrNull(website, email)?.PeopleId;
    }

    public static int StatusNumber(string state) => state switch
    {
        "pending" => 0,
        "unresolved" => 1,
        _ => 2,
    };

    /// <summary>A positive ~15-digit integer, as Crisp fingerprints are.</summary>
    public static long NewFingerprint() => RandomNumberGenerator.GetInt32(100_000, 999_999) * 1_000_000_000L + RandomNumberGenerator.GetInt32(0, 1_000_000_000);
}
