using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// The rule editor's form, server-rendered and usable without JavaScript: a few blank condition and action rows
/// are always offered, blank rows are ignored, and saving then editing again offers more.
/// </summary>
public sealed class RuleForm
{
    public const int BlankConditions = 2;
    public const int BlankActions = 1;

    // An empty field binds as null by default; these stay strings, so the validator can say what is missing.
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string Name { get; set; } = string.Empty;

    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string Trigger { get; set; } = string.Empty;

    public ConditionMode ConditionMode { get; set; } = ConditionMode.All;

    /// <summary>The rule version this form was opened on (editing only): a save on top of a newer one is refused.</summary>
    public int? BaseVersion { get; set; }

    public List<ConditionRow> Conditions { get; set; } = [];

    public List<ActionRow> Actions { get; set; } = [];

    public sealed class ConditionRow
    {
        public string? Field { get; set; }

        public ConditionOperator Operator { get; set; }

        /// <summary>A JSON value (<c>"pro"</c>, <c>42</c>, <c>["a","b"]</c>) or plain text, read as a string.</summary>
        public string? Value { get; set; }
    }

    public sealed class ActionRow
    {
        public RuleActionType? Type { get; set; }

        public string? Text { get; set; }

        public string? Color { get; set; }

        /// <summary>One <c>key = template</c> per line.</summary>
        public string? Data { get; set; }

        /// <summary>One segment template per line.</summary>
        public string? Segments { get; set; }

        public bool CreateConversation { get; set; }

        public string? CampaignId { get; set; }
    }

    public static RuleForm From(string name, RuleDefinition definition)
    {
        var form = new RuleForm
        {
            Name = name,
            Trigger = definition.Trigger,
            ConditionMode = definition.ConditionMode,
            Conditions = definition.Conditions.Select(c => new ConditionRow
            {
                Field = c.Field,
                Operator = c.Operator,
                Value = c.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : c.Value?.ToJsonString(),
            }).ToList(),
            Actions = definition.Actions.Select(a => new ActionRow
            {
                Type = a.Type,
                Text = a.Text,
                Color = a.Color,
                Data = a.Data is null ? null : string.Join('\n', a.Data.Select(p => $"{p.Key} = {p.Value}")),
                Segments = a.Segments is null ? null : string.Join('\n', a.Segments),
                CreateConversation = a.CreateConversation,
                CampaignId = a.CampaignId,
            }).ToList(),
        };
        return form.WithBlankRows();
    }

    public RuleForm WithBlankRows()
    {
        Conditions = Conditions.Where(c => !string.IsNullOrWhiteSpace(c.Field)).ToList();
        Actions = Actions.Where(a => a.Type is not null).ToList();
        for (var i = 0; i < BlankConditions; i++)
        {
            Conditions.Add(new ConditionRow());
        }

        for (var i = 0; i < BlankActions; i++)
        {
            Actions.Add(new ActionRow());
        }

        return this;
    }

    /// <summary>The definition this form describes; malformed data lines are reported like validation errors.</summary>
    public (RuleDefinition Definition, Dictionary<string, string[]> Errors) ToDefinition()
    {
        var errors = new Dictionary<string, string[]>();
        var conditions = Conditions.Where(c => !string.IsNullOrWhiteSpace(c.Field))
            .Select(c => new RuleCondition(c.Field!.Trim(), c.Operator, ParseValue(c.Value)))
            .ToList();

        var actions = new List<RuleAction>();
        foreach (var (row, index) in Actions.Select((a, i) => (a, i)).Where(x => x.a.Type is not null))
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in (row.Data ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var separator = line.IndexOf('=', StringComparison.Ordinal);
                if (separator <= 0)
                {
                    errors[$"actions[{actions.Count}].data"] = [$"Line '{line}' is not 'key = template'."];
                    continue;
                }

                data[line[..separator].Trim()] = line[(separator + 1)..].Trim();
            }

            var segments = (row.Segments ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            _ = index;
            actions.Add(new RuleAction
            {
                Type = row.Type!.Value,
                Text = string.IsNullOrWhiteSpace(row.Text) ? null : row.Text,
                Color = string.IsNullOrWhiteSpace(row.Color) ? null : row.Color,
                Data = data.Count == 0 ? null : data,
                Segments = segments.Count == 0 ? null : segments,
                CreateConversation = row.CreateConversation,
                CampaignId = string.IsNullOrWhiteSpace(row.CampaignId) ? null : row.CampaignId.Trim(),
            });
        }

        return (new RuleDefinition { Trigger = Trigger.Trim(), ConditionMode = ConditionMode, Conditions = conditions, Actions = actions }, errors);
    }

    private static JsonNode? ParseValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text.Trim());
        }
    }

    public static string Label(RuleActionType type) => type switch
    {
        RuleActionType.PeopleEvent => "Add a people event",
        RuleActionType.PeopleData => "Merge people data",
        RuleActionType.PeopleSegmentsAdd => "Add people segments",
        RuleActionType.PeopleSegmentsRemove => "Remove people segments",
        RuleActionType.SessionData => "Merge session data (open conversation)",
        RuleActionType.ConversationSegmentsAdd => "Add conversation segments",
        RuleActionType.ConversationSegmentsRemove => "Remove conversation segments",
        RuleActionType.Note => "Post a private note",
        RuleActionType.CampaignDispatch => "Dispatch a campaign",
        _ => type.ToString(),
    };

    public static string Snake(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()).ToString(CultureInfo.InvariantCulture);
}
