using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.CrispSimulator.Infrastructure;
using IntegrationHub.CrispSimulator.People;

namespace IntegrationHub.CrispSimulator.Conversations;

/// <summary>Conversations: list/create/get, messages, meta (session data), state and routing.</summary>
public static class ConversationEndpoints
{
    public static readonly IReadOnlyList<string> MessageTypes =
        ["text", "note", "file", "animation", "audio", "picker", "field", "carousel", "event"];

    private const string Base = "/website/{website_id}";
    private const int MessageBatch = 20;

    public static void Map(CrispRoutes routes)
    {
        var tiers = CrispRoutes.WebsiteRoutes;
        routes.Get(Base + "/conversations/{page}", tiers, List);
        routes.Post(Base + "/conversation", tiers, Create);
        routes.GetAndHead(Base + "/conversation/{session_id}", tiers, call => CrispResult.Resolved(ToJson(Find(call))));
        routes.Delete(Base + "/conversation/{session_id}", tiers, Remove);
        routes.Get(Base + "/conversation/{session_id}/messages", tiers, ListMessages);
        routes.Post(Base + "/conversation/{session_id}/message", tiers, SendMessage);
        routes.Get(Base + "/conversation/{session_id}/meta", tiers, call => CrispResult.Resolved(MetaJson(Find(call).Meta)));
        routes.Patch(Base + "/conversation/{session_id}/meta", tiers, UpdateMeta);
        routes.Get(Base + "/conversation/{session_id}/state", tiers, call => CrispResult.Resolved(new JsonObject { ["state"] = Find(call).State }));
        routes.Patch(Base + "/conversation/{session_id}/state", tiers, ChangeState);
        routes.Get(Base + "/conversation/{session_id}/routing", tiers, call => CrispResult.Resolved(RoutingJson(Find(call))));
        routes.Patch(Base + "/conversation/{session_id}/routing", tiers, ChangeRouting);
    }

    public static SimConversation Find(CrispCall call) =>
        ConversationOps.Find(call.Website, call.Route("session_id")) ?? throw CrispApiException.NotFound("session_not_found");

    public static JsonObject ToJson(SimConversation conversation)
    {
        var last = conversation.Messages.Count > 0 ? conversation.Messages[^1] : null;
        return new JsonObject
        {
            ["session_id"] = conversation.SessionId,
            ["website_id"] = conversation.WebsiteId,
            ["inbox_id"] = null,
            ["people_id"] = conversation.PeopleId,
            ["state"] = conversation.State,
            ["status"] = ConversationOps.StatusNumber(conversation.State),
            ["is_verified"] = conversation.IsVerified,
            ["is_blocked"] = conversation.IsBlocked,
            ["availability"] = "offline",
            ["active"] = new JsonObject { ["now"] = false, ["last"] = conversation.UpdatedAt },
            ["last_message"] = last is null ? "" : Excerpt(last),
            ["preview_message"] = last is null ? null : new JsonObject
            {
                ["type"] = last.Type,
                ["from"] = last.From,
                ["excerpt"] = Excerpt(last),
                ["fingerprint"] = last.Fingerprint,
            },
            ["topic"] = "",
            ["participants"] = new JsonArray(),
            ["mentions"] = new JsonArray(),
            ["compose"] = new JsonObject(),
            ["unread"] = new JsonObject { ["operator"] = conversation.UnreadOperator, ["visitor"] = conversation.UnreadVisitor },
            ["assigned"] = conversation.AssignedUserId is null ? new JsonObject() : new JsonObject { ["user_id"] = conversation.AssignedUserId },
            ["meta"] = MetaJson(conversation.Meta),
            ["created_at"] = conversation.CreatedAt,
            ["updated_at"] = conversation.UpdatedAt,
            ["waiting_since"] = conversation.WaitingSince,
        };
    }

    public static JsonObject MetaJson(SimMeta meta) => new()
    {
        ["nickname"] = meta.Nickname,
        ["email"] = meta.Email,
        ["phone"] = meta.Phone,
        ["address"] = meta.Address,
        ["subject"] = meta.Subject,
        ["ip"] = meta.Ip,
        ["avatar"] = meta.Avatar,
        ["origin"] = meta.Origin,
        ["segments"] = new JsonArray([.. meta.Segments.Select(s => JsonValue.Create(s))]),
        ["data"] = meta.Data.DeepClone(),
        ["connection"] = meta.Connection.DeepClone(),
        ["device"] = meta.Device.DeepClone(),
    };

    private static JsonObject MessageJson(SimConversation conversation, SimMessage message) => new()
    {
        ["session_id"] = conversation.SessionId,
        ["website_id"] = conversation.WebsiteId,
        ["type"] = message.Type,
        ["from"] = message.From,
        ["origin"] = message.Origin,
        ["content"] = message.Content.DeepClone(),
        ["preview"] = new JsonArray(),
        ["mentions"] = new JsonArray([.. message.Mentions.Select(m => JsonValue.Create(m))]),
        ["read"] = message.Read ? "chat" : "",
        ["delivered"] = message.Delivered ? "chat" : "",
        ["stamped"] = true,
        ["automated"] = message.Automated,
        ["fingerprint"] = message.Fingerprint,
        ["timestamp"] = message.Timestamp,
        ["user"] = message.User?.DeepClone() ?? new JsonObject(),
    };

    private static string Excerpt(SimMessage message) =>
        message.Content.GetValueKind() == JsonValueKind.String ? message.Content.GetValue<string>() : $"({message.Type})";

    /// <summary>
    /// Most recently updated first. Supports <c>per_page</c>, <c>search_query</c> (+<c>search_type</c> text|segment),
    /// <c>filter_resolved</c>, <c>filter_not_resolved</c>, <c>filter_unread</c>, <c>filter_assigned</c> (user id),
    /// <c>filter_unassigned</c>, <c>filter_mention</c> (has a message with mentions) and
    /// <c>filter_date_start</c>/<c>filter_date_end</c> (on updated_at).
    /// </summary>
    private static CrispResult List(CrispCall call)
    {
        var query = call.Query("search_query");
        var searchType = call.Query("search_type") ?? "text";
        if (searchType is not ("text" or "segment" or "filter"))
        {
            throw CrispApiException.InvalidData("'search_type' must be text, segment or filter.");
        }

        var resolved = call.QueryFlag("filter_resolved");
        var notResolved = call.QueryFlag("filter_not_resolved");
        var unread = call.QueryFlag("filter_unread");
        var unassigned = call.QueryFlag("filter_unassigned");
        var mention = call.QueryFlag("filter_mention");
        var assigned = call.Query("filter_assigned");
        var start = call.QueryDate("filter_date_start")?.ToUnixTimeMilliseconds();
        var end = call.QueryDate("filter_date_end")?.ToUnixTimeMilliseconds();
        var conversations = call.Website.Conversations
            .Where(c => !resolved || c.State == "resolved")
            .Where(c => !notResolved || c.State != "resolved")
            .Where(c => !unread || c.UnreadOperator > 0)
            .Where(c => !unassigned || c.AssignedUserId is null)
            .Where(c => string.IsNullOrEmpty(assigned) || string.Equals(c.AssignedUserId, assigned, StringComparison.OrdinalIgnoreCase))
            .Where(c => !mention || c.Messages.Exists(m => m.Mentions.Count > 0))
            .Where(c => (start is null || c.UpdatedAt >= start) && (end is null || c.UpdatedAt <= end))
            .Where(c => string.IsNullOrEmpty(query) || Matches(c, query, searchType))
            .OrderByDescending(c => c.UpdatedAt)
            .ThenByDescending(c => c.CreatedAt);
        return CrispResult.Listed(call.Paginate(conversations, perPageFromQuery: true).Select(ToJson));
    }

    private static bool Matches(SimConversation conversation, string query, string searchType) =>
        searchType == "segment"
            ? conversation.Meta.Segments.Contains(query, StringComparer.OrdinalIgnoreCase)
            : conversation.Meta.Email.Contains(query, StringComparison.OrdinalIgnoreCase)
                || conversation.Meta.Nickname.Contains(query, StringComparison.OrdinalIgnoreCase)
                || conversation.Messages.Exists(m => Excerpt(m).Contains(query, StringComparison.OrdinalIgnoreCase));

    private static CrispResult Create(CrispCall call)
    {
        _ = call.Body; // a body is not expected, but a malformed one is still refused
        var conversation = ConversationOps.Create(call.State, call.Website);
        return CrispResult.Added(new JsonObject { ["session_id"] = conversation.SessionId });
    }

    private static CrispResult Remove(CrispCall call)
    {
        var conversation = Find(call);
        call.Website.Conversations.Remove(conversation);
        call.State.EmitHook(call.Website.WebsiteId, "session:removed", ConversationOps.SessionEvent(conversation));
        return CrispResult.Deleted();
    }

    /// <summary>
    /// The latest batch (20) in chronological order, or the batch before/after <c>timestamp_before</c>/<c>timestamp_after</c>.
    /// </summary>
    private static CrispResult ListMessages(CrispCall call)
    {
        var conversation = Find(call);
        var before = QueryLong(call, "timestamp_before");
        var after = QueryLong(call, "timestamp_after");
        IEnumerable<SimMessage> messages = conversation.Messages;
        if (after is { } afterValue)
        {
            messages = messages.Where(m => m.Timestamp > afterValue).Take(MessageBatch);
        }
        else
        {
            var list = messages.Where(m => before is null || m.Timestamp < before).ToList();
            messages = list.Skip(Math.Max(0, list.Count - MessageBatch));
        }

        return CrispResult.Listed(messages.Select(m => MessageJson(conversation, m)));
    }

    private static long? QueryLong(CrispCall call, string name)
    {
        var raw = call.Query(name);
        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw CrispApiException.InvalidData($"'{name}' must be a timestamp in milliseconds.");
    }

    /// <summary>Requires <c>type</c>, <c>from</c>, <c>origin</c> and <c>content</c>; answers 202 <c>dispatched</c> with the fingerprint.</summary>
    private static CrispResult SendMessage(CrispCall call)
    {
        var conversation = Find(call);
        var body = call.BodyObject;
        var type = JsonBody.RequireString(body, "type");
        if (!MessageTypes.Contains(type))
        {
            throw CrispApiException.InvalidData($"'type' must be one of {string.Join(", ", MessageTypes)}.");
        }

        var from = JsonBody.RequireString(body, "from");
        if (from is not ("user" or "operator"))
        {
            throw CrispApiException.InvalidData("'from' must be user or operator.");
        }

        var origin = JsonBody.RequireString(body, "origin");
        if (origin is not ("chat" or "email") && !origin.StartsWith("urn:", StringComparison.Ordinal))
        {
            throw CrispApiException.InvalidData("'origin' must be chat, email or a plugin URN (urn:…).");
        }

        JsonNode content;
        if (type is "text" or "note")
        {
            content = JsonValue.Create(JsonBody.RequireString(body, "content"));
        }
        else
        {
            content = body["content"] is JsonObject contentObject
                ? contentObject.DeepClone()
                : throw CrispApiException.InvalidData($"'content' must be an object for {type} messages.");
        }

        var user = JsonBody.OptObject(body, "user");
        var mentions = JsonBody.OptStringArray(body, "mentions");
        var stealth = JsonBody.OptBool(body, "stealth") ?? false;
        var automated = JsonBody.OptBool(body, "automated") ?? false;
        var fingerprint = JsonBody.OptInteger(body, "fingerprint");
        _ = JsonBody.OptInteger(body, "timestamp");
        var message = ConversationOps.AddMessage(
            call.State, call.Website, conversation, type, from, origin, content, user, mentions, stealth, automated, fingerprint);
        return CrispResult.Dispatched(new JsonObject { ["fingerprint"] = message.Fingerprint });
    }

    /// <summary>
    /// Only fields present are touched. <c>data</c> REPLACES the whole session data object (documented assumption);
    /// <c>segments</c> replaces the segment list. Emits <c>session:set_data</c>, <c>session:set_segments</c>,
    /// <c>session:set_email</c>, <c>session:set_nickname</c> for the fields given.
    /// </summary>
    private static CrispResult UpdateMeta(CrispCall call)
    {
        var conversation = Find(call);
        var body = call.BodyObject;
        var meta = conversation.Meta;

        // Validate everything before touching anything.
        var strings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in (string[])["nickname", "email", "phone", "address", "subject", "ip", "avatar", "origin"])
        {
            if (body.ContainsKey(name))
            {
                strings[name] = JsonBody.OptString(body, name) ?? "";
            }
        }

        if (strings.TryGetValue("email", out var newEmail) && !string.IsNullOrEmpty(newEmail))
        {
            PeopleEndpoints.ValidEmail(newEmail);
        }

        var segments = body.ContainsKey("segments") ? JsonBody.OptStringArray(body, "segments") ?? [] : null;
        var data = body.ContainsKey("data") ? JsonBody.ValidateData(body["data"], "data") : null;
        var connection = body.ContainsKey("connection") ? JsonBody.OptObject(body, "connection") ?? [] : null;
        var device = body.ContainsKey("device") ? JsonBody.OptObject(body, "device") ?? [] : null;

        var state = call.State;
        var websiteId = call.Website.WebsiteId;
        JsonObject Event(string key, JsonNode? value)
        {
            var payload = ConversationOps.SessionEvent(conversation);
            payload[key] = value;
            return payload;
        }

        foreach (var (name, value) in strings)
        {
            var text = value ?? "";
            switch (name)
            {
                case "nickname": meta.Nickname = text; state.EmitHook(websiteId, "session:set_nickname", Event("nickname", text)); break;
                case "email": ConversationOps.SetEmail(call.Website, conversation, text); state.EmitHook(websiteId, "session:set_email", Event("email", text)); break;
                case "phone": meta.Phone = text; break;
                case "address": meta.Address = text; break;
                case "subject": meta.Subject = text; break;
                case "ip": meta.Ip = text; break;
                case "avatar": meta.Avatar = text; break;
                default: meta.Origin = text; break;
            }
        }

        if (segments is not null)
        {
            meta.Segments = segments;
            state.EmitHook(websiteId, "session:set_segments", Event("segments", new JsonArray([.. segments.Select(s => JsonValue.Create(s))])));
        }

        if (data is not null)
        {
            meta.Data = data;
            state.EmitHook(websiteId, "session:set_data", Event("data", data.DeepClone()));
        }

        if (connection is not null)
        {
            meta.Connection = connection;
        }

        if (device is not null)
        {
            meta.Device = device;
        }

        conversation.UpdatedAt = state.NowMs;
        return CrispResult.Updated();
    }

    private static CrispResult ChangeState(CrispCall call)
    {
        var conversation = Find(call);
        var newState = JsonBody.RequireString(call.BodyObject, "state");
        _ = JsonBody.OptObject(call.BodyObject, "user");
        ConversationOps.SetState(call.State, call.Website, conversation, newState);
        return CrispResult.Updated();
    }

    private static JsonObject RoutingJson(SimConversation conversation) => new()
    {
        ["assigned"] = conversation.AssignedUserId is null ? null : new JsonObject { ["user_id"] = conversation.AssignedUserId },
    };

    /// <summary><c>{assigned: {user_id} | null, silent?}</c>; null unassigns.</summary>
    private static CrispResult ChangeRouting(CrispCall call)
    {
        var conversation = Find(call);
        var body = call.BodyObject;
        if (!body.ContainsKey("assigned"))
        {
            throw CrispApiException.InvalidData("'assigned' is required.");
        }

        _ = JsonBody.OptBool(body, "silent");
        var assigned = JsonBody.OptObject(body, "assigned");
        conversation.AssignedUserId = assigned is null ? null : JsonBody.RequireString(assigned, "user_id");
        conversation.UpdatedAt = call.State.NowMs;
        return CrispResult.Updated();
    }
}
