using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>Decides whether a rule applies to an event, and says why not (the dry-run preview shows it).</summary>
public static class RuleMatcher
{
    public sealed record Match(bool IsMatch, IReadOnlyList<string> Reasons);

    public static Match Evaluate(RuleDefinition rule, RuleEvent evt)
    {
        if (!TriggerMatches(rule.Trigger, evt.Name))
        {
            return new Match(false, [$"event '{evt.Name}' does not match trigger '{rule.Trigger}'"]);
        }

        if (rule.Conditions.Count == 0)
        {
            return new Match(true, [$"event matches trigger '{rule.Trigger}'"]);
        }

        var model = evt.ToModel();
        var results = rule.Conditions.Select(c => (Condition: c, Passed: Holds(c, model))).ToList();
        var passed = rule.ConditionMode == ConditionMode.All ? results.All(r => r.Passed) : results.Any(r => r.Passed);
        var reasons = results.Select(r => $"{Describe(r.Condition)}: {(r.Passed ? "yes" : "no")}").ToList();
        reasons.Insert(0, rule.ConditionMode == ConditionMode.All ? "all conditions must hold" : "any condition must hold");
        return new Match(passed, reasons);
    }

    /// <summary>
    /// Exact, or <c>*</c> as any run of characters. Matched by walking both strings once, remembering only the last
    /// star, rather than by a regular expression: a saved trigger such as <c>*a*a*a…*c</c> made the backtracking
    /// engine time out on a long event name, which failed the ingest commit holding the event (503 for every event
    /// of the website) and the preview (500).
    /// </summary>
    public static bool TriggerMatches(string trigger, string eventName)
    {
        if (string.IsNullOrWhiteSpace(trigger))
        {
            return false;
        }

        int t = 0, n = 0, star = -1, resume = 0;
        while (n < eventName.Length)
        {
            if (t < trigger.Length && trigger[t] == '*')
            {
                star = t++;
                resume = n;
            }
            else if (t < trigger.Length && trigger[t] == eventName[n])
            {
                t++;
                n++;
            }
            else if (star >= 0)
            {
                // The last star takes one more character, and the rest of the trigger is tried from there.
                t = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (t < trigger.Length && trigger[t] == '*')
        {
            t++;
        }

        return t == trigger.Length;
    }

    /// <summary>A field path: <c>event</c>, <c>email</c>, <c>user_id</c>, <c>timestamp</c>, <c>properties.x.y</c>.</summary>
    public static JsonNode? Resolve(JsonObject model, string field)
    {
        JsonNode? current = model;
        foreach (var part in field.Split('.'))
        {
            current = current switch
            {
                JsonObject obj => obj[part],
                JsonArray array when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>
    /// Whether the event carries the field. A key sent as JSON <c>null</c> is there, without a value: its sender named
    /// it ("present but empty", as MongoDB's <c>$exists</c> or JSON Schema's <c>required</c> read it). Only a key the
    /// event lacks does not exist (<see cref="RuleEvent.ToModel"/> leaves out an email or user id it was not given).
    /// </summary>
    public static bool IsPresent(JsonObject model, string field)
    {
        JsonNode? current = model;
        foreach (var part in field.Split('.'))
        {
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(part, out var next):
                    current = next;
                    break;
                case JsonArray array when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                    current = array[index];
                    break;
                default:
                    // Also a null on the way: properties.a.b is not there when properties.a is null.
                    return false;
            }
        }

        return true;
    }

    private static bool Holds(RuleCondition condition, JsonObject model)
    {
        var actual = Resolve(model, condition.Field);
        return condition.Operator switch
        {
            ConditionOperator.Exists => IsPresent(model, condition.Field),
            ConditionOperator.NotExists => !IsPresent(model, condition.Field),
            ConditionOperator.Equals => actual is not null && Same(actual, condition.Value),
            ConditionOperator.NotEquals => actual is null || !Same(actual, condition.Value),
            ConditionOperator.GreaterThan => Compare(actual, condition.Value) > 0,
            ConditionOperator.LessThan => Compare(actual, condition.Value) is < 0 and not int.MinValue,
            ConditionOperator.Contains => Contains(actual, condition.Value),
            ConditionOperator.In => condition.Value is JsonArray list && actual is not null && list.Any(item => Same(actual, item)),
            _ => false,
        };
    }

    private static bool Same(JsonNode actual, JsonNode? expected)
    {
        if (expected is null)
        {
            return false;
        }

        // A number on either side asks for numeric equality: "42" or "42.0" sent as text equals 42. Two strings
        // stay text ("007" is not "7": ids and codes are compared as written).
        if (TryNumber(actual, IsNumber(expected), out var a) && TryNumber(expected, IsNumber(actual), out var b))
        {
            return a.CompareTo(b) == 0;
        }

        return actual is JsonValue && expected is JsonValue
            ? string.Equals(Text(actual), Text(expected), StringComparison.Ordinal)
            : JsonNode.DeepEquals(actual, expected);
    }

    /// <summary>Numbers (also written as text) compare as numbers, ISO dates as dates, other strings ordinally; int.MinValue when incomparable.</summary>
    private static int Compare(JsonNode? actual, JsonNode? expected)
    {
        if (actual is null || expected is null)
        {
            return int.MinValue;
        }

        // Numbers sent as text ("149.90", "1e6") are still numbers here: compared as text, "100" < "50".
        if (TryNumber(actual, fromText: true, out var a) && TryNumber(expected, fromText: true, out var b))
        {
            return a.CompareTo(b);
        }

        // A number against text that is not one ("abc", "NaN") is no comparison at all, not an ordinal one.
        if (IsNumber(actual) || IsNumber(expected))
        {
            return int.MinValue;
        }

        var left = Text(actual);
        var right = Text(expected);
        if (left is null || right is null)
        {
            return int.MinValue;
        }

        if (DateTimeOffset.TryParse(left, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var da)
            && DateTimeOffset.TryParse(right, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var db))
        {
            return da.CompareTo(db);
        }

        return string.CompareOrdinal(left, right);
    }

    private static bool Contains(JsonNode? actual, JsonNode? expected) => actual switch
    {
        JsonArray array => expected is not null && array.Any(item => item is not null && Same(item, expected)),
        JsonValue value when Text(value) is { } text && Text(expected) is { } needle => text.Contains(needle, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>A number, exact while it fits a decimal and approximate beyond, so that 1e30 is still more than 50.</summary>
    private readonly record struct Number(decimal? Exact, double Approximate)
    {
        public int CompareTo(Number other) =>
            Exact is { } a && other.Exact is { } b ? a.CompareTo(b) : Approximate.CompareTo(other.Approximate);
    }

    private static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    private static bool TryNumber(JsonNode? node, bool fromText, out Number number)
    {
        number = default;
        if (node is not JsonValue value)
        {
            return false;
        }

        string text;
        switch (value.GetValueKind())
        {
            case JsonValueKind.Number when value.TryGetValue(out decimal exact):
                number = new Number(exact, (double)exact);
                return true;
            case JsonValueKind.Number:
                text = value.ToJsonString();
                break;
            case JsonValueKind.String when fromText:
                text = value.GetValue<string>();
                break;
            default:
                return false;
        }

        // Float style: digits, sign, point and exponent only; "NaN" and "Infinity" parse as doubles but are no numbers.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var approximate) || !double.IsFinite(approximate))
        {
            return false;
        }

        number = new Number(decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null, approximate);
        return true;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    private static string Describe(RuleCondition condition) =>
        condition.Operator is ConditionOperator.Exists or ConditionOperator.NotExists
            ? $"{condition.Field} {Operator(condition.Operator)}"
            : $"{condition.Field} {Operator(condition.Operator)} {condition.Value?.ToJsonString() ?? "null"}";

    private static string Operator(ConditionOperator op) => op switch
    {
        ConditionOperator.Equals => "equals",
        ConditionOperator.NotEquals => "does not equal",
        ConditionOperator.Exists => "exists",
        ConditionOperator.NotExists => "does not exist",
        ConditionOperator.GreaterThan => "is greater than",
        ConditionOperator.LessThan => "is less than",
        ConditionOperator.Contains => "contains",
        ConditionOperator.In => "is one of",
        _ => op.ToString(),
    };
}
