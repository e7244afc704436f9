using System.Text.RegularExpressions;
using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// Catches at save time what would otherwise fail later in a job: bad templates, unknown fields, values Crisp
/// refuses. Errors are keyed by field path (e.g. <c>actions[1].data.plan</c>) so forms can show them in place.
/// </summary>
public static partial class RuleValidator
{
    public static readonly string[] Colors = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "grey", "black"];

    public const int MaxActions = 20;
    public const int MaxConditions = 20;
    public const int MaxSegments = 20;
    public const int MaxSegmentLength = 64;

    private const string NullList = "A list (leave the field out for none), not null.";

    public static Dictionary<string, string[]> Validate(string? name, RuleDefinition definition)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            Add("name", "A name of 1 to 200 characters is required.");
        }

        if (string.IsNullOrWhiteSpace(definition.Trigger) || definition.Trigger.Length > 200 || !TriggerPattern().IsMatch(definition.Trigger))
        {
            Add("trigger", "An event name (letters, digits, . _ - : and * wildcards, up to 200 characters) is required.");
        }

        if (!Enum.IsDefined(definition.ConditionMode))
        {
            Add("condition_mode", "Use all or any.");
        }

        // A draft posted to the preview API is deserialized, not built: its lists and their items may be JSON nulls.
        if (definition.Conditions is null)
        {
            Add("conditions", NullList);
            definition = definition with { Conditions = [] };
        }

        if (definition.Actions is null)
        {
            Add("actions", NullList);
            definition = definition with { Actions = [] };
        }

        if (definition.Conditions.Count > MaxConditions)
        {
            Add("conditions", $"At most {MaxConditions} conditions.");
        }

        for (var i = 0; i < definition.Conditions.Count; i++)
        {
            var condition = definition.Conditions[i];
            if (condition is null)
            {
                Add($"conditions[{i}]", "A condition object, not null.");
                continue;
            }

            if (!FieldPattern().IsMatch(condition.Field ?? string.Empty))
            {
                Add($"conditions[{i}].field", "Use event, email, user_id, timestamp or properties.<name>[.<name>…].");
            }

            if (!Enum.IsDefined(condition.Operator))
            {
                Add($"conditions[{i}].operator", "Use one of: " + string.Join(", ", Enum.GetValues<ConditionOperator>().Select(o => RuleForm.Snake(o))) + ".");
            }

            var needsValue = condition.Operator is not (ConditionOperator.Exists or ConditionOperator.NotExists);
            if (needsValue && condition.Value is null)
            {
                Add($"conditions[{i}].value", "This operator needs a value.");
            }

            if (condition.Operator == ConditionOperator.In && condition.Value is not System.Text.Json.Nodes.JsonArray)
            {
                Add($"conditions[{i}].value", "'in' needs a list of values.");
            }
        }

        if (definition.Actions.Count == 0 && !errors.ContainsKey("actions"))
        {
            Add("actions", "Add at least one action.");
        }

        if (definition.Actions.Count > MaxActions)
        {
            Add("actions", $"At most {MaxActions} actions.");
        }

        for (var i = 0; i < definition.Actions.Count; i++)
        {
            if (definition.Actions[i] is null)
            {
                Add($"actions[{i}]", "An action object, not null.");
                continue;
            }

            ValidateAction(definition.Actions[i], $"actions[{i}]", Add);
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    private static void ValidateAction(RuleAction action, string at, Action<string, string> add)
    {
        void Template(string field, string? source, bool required)
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                if (required)
                {
                    add(field, "Required.");
                }

                return;
            }

            if (!RuleTemplates.TryParse(source, out var error))
            {
                add(field, error!);
            }
        }

        void DataMap(bool required)
        {
            if (action.Data is null || action.Data.Count == 0)
            {
                if (required)
                {
                    add($"{at}.data", "Add at least one key.");
                }

                return;
            }

            if (action.Data.Count > 50)
            {
                add($"{at}.data", "At most 50 keys.");
            }

            foreach (var (key, template) in action.Data)
            {
                if (!DataKeyPattern().IsMatch(key))
                {
                    add($"{at}.data.{key}", "Crisp data keys are 1–64 characters: lowercase letters, digits, _ and -.");
                }

                Template($"{at}.data.{key}", template, required: true);
            }
        }

        void SegmentList()
        {
            if (action.Segments is null || action.Segments.Count == 0)
            {
                add($"{at}.segments", "Add at least one segment.");
                return;
            }

            if (action.Segments.Count > MaxSegments)
            {
                add($"{at}.segments", $"At most {MaxSegments} segments.");
            }

            for (var s = 0; s < action.Segments.Count; s++)
            {
                var segment = action.Segments[s];
                if (segment is null)
                {
                    add($"{at}.segments[{s}]", "A segment (text or template), not null.");
                    continue;
                }

                Template($"{at}.segments[{s}]", segment, required: true);

                // A literal is known now; a template's result is checked when it renders (see RulePlanner).
                var literal = segment.Contains("{{", StringComparison.Ordinal) || segment.Contains("{%", StringComparison.Ordinal) ? null : segment.Trim();
                if (literal is { Length: > MaxSegmentLength })
                {
                    add($"{at}.segments[{s}]", $"Crisp segments are 1 to {MaxSegmentLength} characters: '{TextCut.Truncate(literal, 20)}…' has {literal.Length}.");
                }
            }
        }

        switch (action.Type)
        {
            case RuleActionType.PeopleEvent:
                Template($"{at}.text", action.Text, required: true);
                if (action.Color is not null && !Colors.Contains(action.Color))
                {
                    add($"{at}.color", "Crisp accepts: " + string.Join(", ", Colors) + ".");
                }

                DataMap(required: false);
                break;
            case RuleActionType.PeopleData:
            case RuleActionType.SessionData:
                DataMap(required: true);
                break;
            case RuleActionType.PeopleSegmentsAdd:
            case RuleActionType.PeopleSegmentsRemove:
            case RuleActionType.ConversationSegmentsAdd:
            case RuleActionType.ConversationSegmentsRemove:
                SegmentList();
                break;
            case RuleActionType.Note:
                Template($"{at}.text", action.Text, required: true);
                break;
            case RuleActionType.CampaignDispatch:
                if (string.IsNullOrWhiteSpace(action.CampaignId) || !Guid.TryParse(action.CampaignId, out _))
                {
                    add($"{at}.campaign_id", "Pick a campaign (a Crisp campaign id).");
                }

                break;
            default:
                add($"{at}.type", "Unknown action type.");
                break;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-:*]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TriggerPattern();

    [GeneratedRegex(@"^(event|email|user_id|timestamp|properties(\.[A-Za-z0-9_\-]+)+)$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"^[a-z0-9_\-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex DataKeyPattern();
}
