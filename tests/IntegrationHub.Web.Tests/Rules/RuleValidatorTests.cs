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
}
