using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// What a rule says, stored as JSON in each <see cref="RuleVersion"/>: a trigger, optional conditions, and an ordered
/// list of actions whose fields are Liquid templates rendered from the event.
/// </summary>
public sealed record RuleDefinition
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Event name, exact (<c>order.paid</c>) or with <c>*</c> wildcards (<c>order.*</c>, <c>*</c>).</summary>
    public string Trigger { get; init; } = string.Empty;

    public ConditionMode ConditionMode { get; init; } = ConditionMode.All;

    public IReadOnlyList<RuleCondition> Conditions { get; init; } = [];

    public IReadOnlyList<RuleAction> Actions { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RuleDefinition FromJson(string json) =>
        JsonSerializer.Deserialize<RuleDefinition>(json, Json) ?? throw new JsonException("Empty rule definition.");
}

public enum ConditionMode
{
    All,
    Any,
}

public enum ConditionOperator
{
    Equals,
    NotEquals,
    Exists,
    NotExists,
    GreaterThan,
    LessThan,
    Contains,
    In,
}

/// <summary>A test on one field of the event: <c>event</c>, <c>email</c>, <c>user_id</c> or <c>properties.a.b</c>.</summary>
public sealed record RuleCondition(string Field, ConditionOperator Operator, JsonNode? Value = null);

public enum RuleActionType
{
    PeopleEvent,
    PeopleData,
    PeopleSegmentsAdd,
    PeopleSegmentsRemove,
    SessionData,
    ConversationSegmentsAdd,
    ConversationSegmentsRemove,
    Note,
    CampaignDispatch,
}

/// <summary>
/// One Crisp action. Which fields matter depends on <see cref="Type"/>; each string is a Liquid template over
/// <c>event</c>, <c>email</c>, <c>user_id</c>, <c>timestamp</c> and <c>properties</c>.
/// </summary>
public sealed record RuleAction
{
    public RuleActionType Type { get; init; }

    /// <summary>People event text, or the note's content.</summary>
    public string? Text { get; init; }

    /// <summary>People event color (Crisp's list).</summary>
    public string? Color { get; init; }

    /// <summary>People event data, people data or session data: key → template.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>Segments to add or remove (templates).</summary>
    public IReadOnlyList<string>? Segments { get; init; }

    /// <summary>Session data, conversation segments, notes: open a conversation when the contact has none.</summary>
    public bool CreateConversation { get; init; }

    /// <summary>Campaign to dispatch (from the tenant's campaign list in Crisp).</summary>
    public string? CampaignId { get; init; }
}
