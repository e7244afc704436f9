using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IntegrationHub.Crisp;

public enum CrispConversationState
{
    Pending,
    Unresolved,
    Resolved,
}

/// <summary>A conversation as listed or resolved. Fields the hub does not use are kept in <see cref="Extra"/>.</summary>
public sealed record CrispConversation
{
    public required string SessionId { get; init; }

    public string? WebsiteId { get; init; }

    public string? InboxId { get; init; }

    public string? PeopleId { get; init; }

    public CrispConversationState? State { get; init; }

    public bool? IsVerified { get; init; }

    public bool? IsBlocked { get; init; }

    public string? Availability { get; init; }

    public string? LastMessage { get; init; }

    public string? Topic { get; init; }

    public CrispConversationMeta? Meta { get; init; }

    public CrispAssignee? Assigned { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? CreatedAt { get; init; }

    /// <summary>Epoch milliseconds.</summary>
    public long? UpdatedAt { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Conversation meta (GET) and the body of a meta update (PATCH: only the fields set are sent).
/// <see cref="Data"/> is replaced as a whole by Crisp: read, merge and write it back to change one key.</summary>
public sealed record CrispConversationMeta
{
    public string? Nickname { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }

    public string? Address { get; init; }

    public string? Subject { get; init; }

    public string? Avatar { get; init; }

    public string? Origin { get; init; }

    public IReadOnlyList<string>? Segments { get; init; }

    /// <summary>Session data: free-form values (string, number or bool).</summary>
    public JsonObject? Data { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record CrispAssignee(string? UserId);

/// <summary>Conversation routing (<c>GET|PATCH /conversation/{session_id}/routing</c>).</summary>
public sealed record CrispConversationRouting
{
    public CrispAssignee? Assigned { get; init; }

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>Optional filters of <c>GET /conversations/{page}</c>; flags are sent as 1/0, unset ones are omitted.</summary>
public sealed record CrispConversationFilter
{
    public int? PerPage { get; init; }

    public string? SearchQuery { get; init; }

    /// <summary><c>text</c>, <c>segment</c> or <c>filter</c>.</summary>
    public string? SearchType { get; init; }

    public bool? FilterUnread { get; init; }

    public bool? FilterResolved { get; init; }

    public bool? FilterNotResolved { get; init; }

    public bool? FilterMention { get; init; }

    /// <summary>Operator user id.</summary>
    public string? FilterAssigned { get; init; }

    public bool? FilterUnassigned { get; init; }

    public DateTimeOffset? FilterDateStart { get; init; }

    public DateTimeOffset? FilterDateEnd { get; init; }
}

/// <summary>Who a message is from: <c>operator</c> (the business side) or <c>user</c> (the visitor).</summary>
public enum CrispMessageFrom
{
    Operator,
    User,
}

/// <summary>Body of <c>POST /conversation/{session_id}/message</c> for text and note messages.</summary>
public sealed record CrispMessageInput
{
    /// <summary><c>text</c> (visible to the visitor) or <c>note</c> (operators only).</summary>
    public required string Type { get; init; }

    public required CrispMessageFrom From { get; init; }

    /// <summary><c>chat</c>, <c>email</c> or the plugin URN (<c>urn:…</c>).</summary>
    public required string Origin { get; init; }

    public required string Content { get; init; }

    public CrispMessageUser? User { get; init; }

    public bool? Stealth { get; init; }

    public bool? Automated { get; init; }

    /// <summary>A text message from the operator side.</summary>
    public static CrispMessageInput Text(string content, string origin = "chat") =>
        new() { Type = "text", From = CrispMessageFrom.Operator, Origin = origin, Content = content };

    /// <summary>A private note (operators only).</summary>
    public static CrispMessageInput Note(string content, string origin = "chat") =>
        new() { Type = "note", From = CrispMessageFrom.Operator, Origin = origin, Content = content };
}

/// <summary>How the sender is shown, e.g. <c>{type: "participant", nickname: "Order bot"}</c>.</summary>
public sealed record CrispMessageUser(string? Type = null, string? Nickname = null, string? Avatar = null);

internal sealed record CrispSessionIdResult(string SessionId);

internal sealed record CrispFingerprintResult(long Fingerprint);

internal sealed record CrispStateBody(CrispConversationState State);

internal sealed record CrispRoutingBody(CrispAssignee Assigned, bool? Silent);
