using System.Text.Json.Nodes;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>Built-in rules a tenant switches on in one click.</summary>
public static class RulePresets
{
    public const string SupportContext = "support-context";

    /// <summary>
    /// Support context: plan tier, account age and recent errors from any event that carries them go to the contact's
    /// people data and to the open conversation's session data, so agents see them in the Crisp inbox.
    /// </summary>
    public static RuleDefinition SupportContextDefinition { get; } = new()
    {
        Trigger = "*",
        ConditionMode = ConditionMode.Any,
        Conditions =
        [
            new RuleCondition("properties.plan_tier", ConditionOperator.Exists),
            new RuleCondition("properties.account_age_days", ConditionOperator.Exists),
            new RuleCondition("properties.recent_errors", ConditionOperator.Exists),
        ],
        Actions =
        [
            new RuleAction { Type = RuleActionType.PeopleData, Data = ContextData() },
            new RuleAction { Type = RuleActionType.SessionData, Data = ContextData(), CreateConversation = false },
        ],
    };

    private static Dictionary<string, string> ContextData() => new()
    {
        ["plan_tier"] = "{{ properties.plan_tier }}",
        ["account_age_days"] = "{{ properties.account_age_days }}",
        ["recent_errors"] = "{{ properties.recent_errors }}",
    };

    public static JsonObject Describe() => new() { [SupportContext] = "Plan tier, account age and recent errors → people data and session data" };
}
