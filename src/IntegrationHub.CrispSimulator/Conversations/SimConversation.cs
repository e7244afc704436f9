using System.Text.Json.Nodes;

namespace IntegrationHub.CrispSimulator.Conversations;

/// <summary>A conversation (session) of one website.</summary>
public sealed class SimConversation
{
    public required string SessionId { get; init; }

    public required string WebsiteId { get; init; }

    public string? PeopleId { get; set; }

    /// <summary><c>pending</c>, <c>unresolved</c> or <c>resolved</c>.</summary>
    public string State { get; set; } = "pending";

    public bool IsVerified { get; set; }

    public bool IsBlocked { get; set; }

    public string? AssignedUserId { get; set; }

    public SimMeta Meta { get; } = new();

    public List<SimMessage> Messages { get; } = [];

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    public long? WaitingSince { get; set; }

    public int UnreadOperator { get; set; }

    public int UnreadVisitor { get; set; }
}

/// <summary>Conversation meta. <see cref="Data"/> is the session data.</summary>
public sealed class SimMeta
{
    public string Nickname { get; set; } = "";

    public string Email { get; set; } = "";

    public string Phone { get; set; } = "";

    public string Address { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Ip { get; set; } = "";

    public string Avatar { get; set; } = "";

    public string Origin { get; set; } = "chat";

    public List<string> Segments { get; set; } = [];

    public JsonObject Data { get; set; } = [];

    public JsonObject Connection { get; set; } = [];

    public JsonObject Device { get; set; } = [];
}

public sealed class SimMessage
{
    public required long Fingerprint { get; init; }

    public required string Type { get; init; }

    public required string From { get; init; }

    public required string Origin { get; init; }

    public required JsonNode Content { get; set; }

    public JsonObject? User { get; init; }

    public List<string> Mentions { get; init; } = [];

    public bool Stealth { get; init; }

    public bool Automated { get; init; }

    public long Timestamp { get; init; }

    public bool Read { get; set; }

    public bool Delivered { get; set; }
}
