using IntegrationHub.Web.Features.Rules;

namespace IntegrationHub.Web.Tests.Rules;

public sealed class RuleValidatorTests
{
    [Fact]
    public void ValidRule_HasNoErrors()
    {
        var errors = RuleValidator.Validate("Paid orders", new RuleDefinition
        {
            Trigger = "order.*",
            Conditions = [new RuleCondition("properties.amount", ConditionOperator.GreaterThan, 10)],
            Actions = [new RuleAction { Type = RuleActionType.PeopleEvent, Text = "Paid {{ properties.amount }}", Color = "green" }],
        });
        Assert.Empty(errors);
    }

    [Fact]
    public void BadFields_AreReportedNextToEachField()
    {
        var errors = RuleValidator.Validate("", new RuleDefinition
        {
            Trigger = "order paid!",
            Conditions = [new RuleCondition("props.amount", ConditionOperator.GreaterThan), new RuleCondition("properties.plan", ConditionOperator.In, "pro")],
            Actions =
            [
                new RuleAction { Type = RuleActionType.PeopleEvent, Text = "{% if %}", Color = "magenta" },
                new RuleAction { Type = RuleActionType.PeopleData, Data = new Dictionary<string, string> { ["Plan.Tier"] = "{{ x }}", ["ok"] = "{{ unclosed" } },
                new RuleAction { Type = RuleActionType.CampaignDispatch, CampaignId = "not-a-uuid" },
                new RuleAction { Type = RuleActionType.PeopleSegmentsAdd },
            ],
        });

        Assert.Contains("name", errors.Keys);
        Assert.Contains("trigger", errors.Keys);
        Assert.Contains("conditions[0].field", errors.Keys);
        Assert.Contains("conditions[0].value", errors.Keys);
        Assert.Contains("conditions[1].value", errors.Keys);
        Assert.StartsWith("Invalid Liquid template", errors["actions[0].text"][0], StringComparison.Ordinal);
        Assert.Contains("actions[0].color", errors.Keys);
        Assert.Contains("actions[1].data.Plan.Tier", errors.Keys);
        Assert.Contains("actions[1].data.ok", errors.Keys);
        Assert.Contains("actions[2].campaign_id", errors.Keys);
        Assert.Contains("actions[3].segments", errors.Keys);
    }

    [Fact]
    public void NoActions_IsAnError() =>
        Assert.Contains("actions", RuleValidator.Validate("x", new RuleDefinition { Trigger = "a" }).Keys);

    [Fact]
    public void NoName_IsAnError() =>
        Assert.Contains("name", RuleValidator.Validate(null, new RuleDefinition { Trigger = "a", Actions = [new RuleAction { Type = RuleActionType.Note, Text = "x" }] }).Keys);

    private static Dictionary<string, string[]> ValidateNote(string text) =>
        RuleValidator.Validate("x", new RuleDefinition { Trigger = "a", Actions = [new RuleAction { Type = RuleActionType.Note, Text = text }] });

    [Theory]
    [InlineData("{{ propertes.plan }}", "Unknown field 'propertes'")]
    [InlineData("{% if plan == 'pro' %}x{% endif %}", "Unknown field 'plan'")]
    [InlineData("{{ email | nosuchfilter }}", "Unknown filter 'nosuchfilter'")]
    [InlineData("{{ email | upcase | nosuchfilter: 2 }}", "Unknown filter 'nosuchfilter'")]
    [InlineData("{% include \"x\" %}", "include and render are not available")]
    [InlineData("{% render 'x' %}", "include and render are not available")]
    [InlineData("{% ifchanged %}x{% endifchanged %}", "Invalid Liquid template")]
    public void Template_ThatCanOnlyFailOrRenderNothing_RefusedAtSave(string template, string message) =>
        Assert.Contains(message, Assert.Single(ValidateNote(template)["actions[0].text"]), StringComparison.Ordinal);

    [Fact]
    public void Template_ItsOwnVariablesAndTheEventsFields_Accepted() =>
        Assert.Empty(ValidateNote(
            "{% assign plan = properties.plan | default: 'free' %}{% for e in properties.errors %}{{ forloop.index }} {{ e }}{% endfor %}"
            + "{% capture who %}{{ email }} {{ user_id }}{% endcapture %}{% increment n %}{{ who | upcase }} {{ plan }} {{ event }} {{ timestamp | date: '%Y' }} {{ n }}"
            + "{% if properties.plan == empty or properties.x == blank or properties.y == nil %}{% endif %}"));

    [Fact]
    public void Segments_LongerThanCrispTakesOrTooMany_RefusedAtSave()
    {
        var errors = RuleValidator.Validate("x", new RuleDefinition
        {
            Trigger = "a",
            Actions =
            [
                new RuleAction { Type = RuleActionType.PeopleSegmentsAdd, Segments = ["ok", new string('s', 65), "{{ properties.plan }}"] },
                new RuleAction { Type = RuleActionType.ConversationSegmentsAdd, Segments = Enumerable.Range(0, 21).Select(i => $"s{i}").ToList() },
            ],
        });

        Assert.Equal(["actions[0].segments[1]", "actions[1].segments"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("1 to 64 characters", errors["actions[0].segments[1]"][0], StringComparison.Ordinal);
        Assert.Contains("At most 20", errors["actions[1].segments"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void UndefinedConditionModeOrOperator_Refused()
    {
        var errors = RuleValidator.Validate("x", new RuleDefinition
        {
            Trigger = "a",
            ConditionMode = (ConditionMode)7,
            Conditions = [new RuleCondition("properties.plan", (ConditionOperator)99, "pro")],
            Actions = [new RuleAction { Type = RuleActionType.Note, Text = "x" }],
        });

        Assert.Equal(["condition_mode", "conditions[0].operator"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
