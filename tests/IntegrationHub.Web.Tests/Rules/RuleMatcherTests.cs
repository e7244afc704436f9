using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Rules;

namespace IntegrationHub.Web.Tests.Rules;

public sealed class RuleMatcherTests
{
    private static RuleEvent Event(string name = "order.paid", string? email = "ada@example.com", JsonObject? properties = null) =>
        new(name, email, "u-1", properties ?? new JsonObject { ["plan"] = "pro", ["amount"] = 120, ["tags"] = new JsonArray("vip", "eu"), ["nested"] = new JsonObject { ["country"] = "FR" } }, DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("order.paid", "order.paid", true)]
    [InlineData("order.paid", "order.paid.late", false)]
    [InlineData("order.*", "order.paid", true)]
    [InlineData("order.*", "orders.paid", false)]
    [InlineData("*", "anything", true)]
    [InlineData("*.failed", "payment.failed", true)]
    [InlineData("Order.paid", "order.paid", false)]
    [InlineData("", "order.paid", false)]
    [InlineData("order.**", "order.", true)]
    [InlineData("*paid*", "order.paid.late", true)]
    [InlineData("o*r*d", "order.paid", true)]
    [InlineData("o*r*x", "order.paid", false)]
    [InlineData("*.*.*", "a.b", false)]
    [InlineData("a*b*c", "abcbc", true)]
    public void Trigger_ExactOrWildcard(string trigger, string name, bool expected) =>
        Assert.Equal(expected, RuleMatcher.TriggerMatches(trigger, name));

    [Theory]
    [InlineData("properties.plan", ConditionOperator.Equals, "\"pro\"", true)]
    [InlineData("properties.plan", ConditionOperator.Equals, "\"free\"", false)]
    [InlineData("properties.plan", ConditionOperator.NotEquals, "\"free\"", true)]
    [InlineData("properties.missing", ConditionOperator.NotEquals, "\"free\"", true)]
    [InlineData("properties.amount", ConditionOperator.Equals, "120", true)]
    [InlineData("properties.amount", ConditionOperator.Equals, "120.0", true)]
    [InlineData("properties.amount", ConditionOperator.GreaterThan, "100", true)]
    [InlineData("properties.amount", ConditionOperator.GreaterThan, "120", false)]
    [InlineData("properties.amount", ConditionOperator.LessThan, "200", true)]
    [InlineData("properties.missing", ConditionOperator.LessThan, "200", false)]
    [InlineData("properties.missing", ConditionOperator.GreaterThan, "0", false)]
    [InlineData("properties.tags", ConditionOperator.Contains, "\"vip\"", true)]
    [InlineData("properties.tags", ConditionOperator.Contains, "\"us\"", false)]
    [InlineData("properties.plan", ConditionOperator.Contains, "\"pr\"", true)]
    [InlineData("properties.plan", ConditionOperator.In, "[\"pro\",\"team\"]", true)]
    [InlineData("properties.plan", ConditionOperator.In, "[\"free\"]", false)]
    [InlineData("properties.nested.country", ConditionOperator.Equals, "\"FR\"", true)]
    [InlineData("email", ConditionOperator.Equals, "\"ada@example.com\"", true)]
    [InlineData("event", ConditionOperator.Equals, "\"order.paid\"", true)]
    [InlineData("properties.plan", ConditionOperator.Exists, null, true)]
    [InlineData("properties.nope", ConditionOperator.Exists, null, false)]
    [InlineData("properties.nope", ConditionOperator.NotExists, null, true)]
    public void Condition_Operators(string field, ConditionOperator op, string? value, bool expected)
    {
        var rule = new RuleDefinition
        {
            Trigger = "order.paid",
            Conditions = [new RuleCondition(field, op, value is null ? null : JsonNode.Parse(value))],
            Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "x" }],
        };
        Assert.Equal(expected, RuleMatcher.Evaluate(rule, Event()).IsMatch);
    }

    [Theory]
    [InlineData("\"100\"", ConditionOperator.GreaterThan, "50", true)]
    [InlineData("100", ConditionOperator.GreaterThan, "\"50\"", true)]
    [InlineData("\"100\"", ConditionOperator.GreaterThan, "\"50\"", true)]
    [InlineData("\"1.10\"", ConditionOperator.LessThan, "1.9", true)]
    [InlineData("\"1.10\"", ConditionOperator.LessThan, "\"1.9\"", true)]
    [InlineData("\"149.90\"", ConditionOperator.LessThan, "150", true)]
    [InlineData("1e30", ConditionOperator.GreaterThan, "50", true)]
    [InlineData("-1e30", ConditionOperator.LessThan, "50", true)]
    [InlineData("1e30", ConditionOperator.GreaterThan, "1e29", true)]
    [InlineData("\"42.0\"", ConditionOperator.Equals, "42", true)]
    [InlineData("\"42\"", ConditionOperator.In, "[1, 42]", true)]
    [InlineData("\"007\"", ConditionOperator.Equals, "\"7\"", false)]
    [InlineData("\"NaN\"", ConditionOperator.GreaterThan, "1", false)]
    [InlineData("\"abc\"", ConditionOperator.Equals, "1", false)]
    [InlineData("\"abc\"", ConditionOperator.GreaterThan, "1", false)]
    [InlineData("null", ConditionOperator.GreaterThan, "1", false)]
    public void Condition_NumbersSentAsTextOrBeyondDecimal_CompareAsNumbers(string actual, ConditionOperator op, string value, bool expected)
    {
        var rule = new RuleDefinition
        {
            Trigger = "order.paid",
            Conditions = [new RuleCondition("properties.amount", op, JsonNode.Parse(value))],
            Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "x" }],
        };
        var evt = Event(properties: JsonNode.Parse($$"""{"amount": {{actual}}}""")!.AsObject());
        Assert.Equal(expected, RuleMatcher.Evaluate(rule, evt).IsMatch);
    }

    [Fact]
    public void Conditions_AllVersusAny()
    {
        RuleCondition[] conditions = [new("properties.plan", ConditionOperator.Equals, "pro"), new("properties.amount", ConditionOperator.GreaterThan, 1000)];
        var all = new RuleDefinition { Trigger = "*", ConditionMode = ConditionMode.All, Conditions = conditions };
        var any = all with { ConditionMode = ConditionMode.Any };

        Assert.False(RuleMatcher.Evaluate(all, Event()).IsMatch);
        Assert.True(RuleMatcher.Evaluate(any, Event()).IsMatch);
    }

    [Fact]
    public void NoMatch_SaysWhy()
    {
        var rule = new RuleDefinition { Trigger = "*", Conditions = [new("properties.plan", ConditionOperator.Equals, "team")] };
        var result = RuleMatcher.Evaluate(rule, Event());
        Assert.False(result.IsMatch);
        Assert.Contains(result.Reasons, r => r.Contains("properties.plan equals \"team\": no", StringComparison.Ordinal));

        var wrongEvent = RuleMatcher.Evaluate(rule with { Trigger = "signup" }, Event());
        Assert.Contains("does not match trigger 'signup'", wrongEvent.Reasons.Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("properties.coupon", ConditionOperator.Exists, true)]
    [InlineData("properties.coupon", ConditionOperator.NotExists, false)]
    [InlineData("properties.box.inner", ConditionOperator.Exists, true)]
    [InlineData("properties.empty.inner", ConditionOperator.Exists, false)]
    [InlineData("properties.nope", ConditionOperator.Exists, false)]
    [InlineData("user_id", ConditionOperator.Exists, false)]
    [InlineData("user_id", ConditionOperator.NotExists, true)]
    [InlineData("email", ConditionOperator.Exists, true)]
    public void Exists_KeySentAsNull_IsPresentButAnAbsentUserIdIsNot(string field, ConditionOperator op, bool expected)
    {
        // As ingestion reads a stored event: JSON nulls are kept in its properties.
        var properties = (JsonObject)JsonNode.Parse("""{"coupon":null,"box":{"inner":null},"empty":null}""")!;
        var evt = new RuleEvent("signup", "ada@example.com", null, properties, DateTimeOffset.UnixEpoch);
        var rule = new RuleDefinition { Trigger = "signup", Conditions = [new RuleCondition(field, op)] };

        Assert.Equal(expected, RuleMatcher.Evaluate(rule, evt).IsMatch);
    }

    [Fact]
    public void Trigger_ManyWildcardsAgainstALongName_AnswersAtOnce()
    {
        // A backtracking regular expression needed far more than its 50 ms time-out for this pair, and threw.
        var trigger = string.Concat(Enumerable.Repeat("*a", 40)) + "*c";
        var name = new string('a', 99) + "b";

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(RuleMatcher.TriggerMatches(trigger, name));
        Assert.True(RuleMatcher.TriggerMatches(trigger, name[..^1] + "c"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }
}
