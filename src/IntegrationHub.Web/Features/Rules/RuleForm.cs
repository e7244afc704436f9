using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// The rule editor's form, server-rendered and usable without JavaScript: a few blank condition and action rows
/// are always offered, blank rows are ignored, and saving then editing again offers more.
/// </summary>
public sealed partial class RuleForm
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

        // The operator's select always sends a value: the row is left blank when nothing else was touched.
        internal bool IsBlank => string.IsNullOrWhiteSpace(Field) && string.IsNullOrWhiteSpace(Value) && Operator == default;
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

        internal bool IsBlank => Type is null && string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(Color) && string.IsNullOrWhiteSpace(Data)
            && string.IsNullOrWhiteSpace(Segments) && !CreateConversation && string.IsNullOrWhiteSpace(CampaignId);
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
        // Half-filled rows stay, so their messages (from ToDefinition) are shown next to them.
        Conditions = Conditions.Where(c => !c.IsBlank).ToList();
        Actions = Actions.Where(a => !a.IsBlank).ToList();
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

    /// <summary>
    /// The definition this form describes; malformed data lines and half-filled rows (a value without a field, action
    /// fields without a type) are reported like validation errors, keyed by the row as <see cref="WithBlankRows"/>
    /// shows it. Rows left out of the definition shift the validator's indexes: <see cref="FormKeys"/> maps them back.
    /// </summary>
    public (RuleDefinition Definition, Dictionary<string, string[]> Errors) ToDefinition()
    {
        var errors = new Dictionary<string, string[]>();
        var conditions = new List<RuleCondition>();
        _conditionRows.Clear();
        foreach (var (row, index) in Conditions.Where(c => !c.IsBlank).Select((c, i) => (c, i)))
        {
            if (string.IsNullOrWhiteSpace(row.Field))
            {
                errors[$"conditions[{index}].field"] = ["Name the field this condition tests (such as properties.plan), or clear the row."];
                continue;
            }

            _conditionRows.Add(index);
            conditions.Add(new RuleCondition(row.Field.Trim(), row.Operator, ParseValue(row.Value)));
        }

        var actions = new List<RuleAction>();
        _actionRows.Clear();
        foreach (var (row, index) in Actions.Where(a => !a.IsBlank).Select((a, i) => (a, i)))
        {
            if (row.Type is null)
            {
                errors[$"actions[{index}].type"] = ["Pick what this action does, or clear its fields."];
                continue;
            }

            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in (row.Data ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var separator = line.IndexOf('=', StringComparison.Ordinal);
                if (separator <= 0)
                {
                    errors[$"actions[{index}].data"] = [$"Line '{line}' is not 'key = template'."];
                    continue;
                }

                data[line[..separator].Trim()] = line[(separator + 1)..].Trim();
            }

            var segments = (row.Segments ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            _actionRows.Add(index);
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

    // For each condition and action of the last ToDefinition, the row of the form it came from.
    private readonly List<int> _conditionRows = [];
    private readonly List<int> _actionRows = [];

    /// <summary>The validator's errors (keyed by the definition's conditions and actions) keyed by the form's rows.</summary>
    public Dictionary<string, string[]> FormKeys(IReadOnlyDictionary<string, string[]> errors) => errors.ToDictionary(
        e => RowIndex().Replace(e.Key, m =>
        {
            var rows = m.Groups[1].Value == "conditions" ? _conditionRows : _actionRows;
            var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return $"{m.Groups[1].Value}[{(index < rows.Count ? rows[index] : index)}]";
        }, 1),
        e => e.Value);

    [GeneratedRegex(@"^(conditions|actions)\[(\d+)\]")]
    private static partial Regex RowIndex();

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
