using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

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

    public static bool TriggerMatches(string trigger, string eventName)
    {
        if (string.IsNullOrWhiteSpace(trigger))
        {
            return false;
        }

        if (!trigger.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(trigger, eventName, StringComparison.Ordinal);
        }

        var pattern = "^" + string.Join(".*", trigger.Split('*').Select(Regex.Escape)) + "$";
        return Regex.IsMatch(eventName, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
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

    private static bool Holds(RuleCondition condition, JsonObject model)
    {
        var actual = Resolve(model, condition.Field);
        return condition.Operator switch
        {
            ConditionOperator.Exists => actual is not null,
            ConditionOperator.NotExists => actual is null,
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

        if (TryNumber(actual, out var a) && TryNumber(expected, out var b))
        {
            return a == b;
        }

        return actual is JsonValue && expected is JsonValue
            ? string.Equals(Text(actual), Text(expected), StringComparison.Ordinal)
            : JsonNode.DeepEquals(actual, expected);
    }

    /// <summary>Numbers compare as numbers, ISO dates as dates, other strings ordinally; int.MinValue when incomparable.</summary>
    private static int Compare(JsonNode? actual, JsonNode? expected)
    {
        if (actual is null || expected is null)
        {
            return int.MinValue;
        }

        if (TryNumber(actual, out var a) && TryNumber(expected, out var b))
        {
            return a.CompareTo(b);
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

    private static bool TryNumber(JsonNode? node, out decimal number)
    {
        number = 0;
        if (node is not JsonValue value)
        {
            return false;
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return value.TryGetValue(out number) || decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
        }

        return false;
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
