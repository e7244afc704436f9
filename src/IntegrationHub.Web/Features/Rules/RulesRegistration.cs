using IntegrationHub.Web.Features.Events;

namespace IntegrationHub.Web.Features.Rules;

public static class RulesRegistration
{
    /// <summary>After <c>AddHubEvents</c>: replaces its no-rules planner with the rule engine.</summary>
    public static WebApplicationBuilder AddHubRules(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RuleTemplates>();
        builder.Services.AddSingleton<RulePlanner>();
        builder.Services.AddOptions<RulePlanCacheOptions>().BindConfiguration(RulePlanCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<RulePlanCache>();
        builder.Services.AddScoped<RuleService>();
        builder.Services.AddScoped<IEventActionPlanner, RuleEventActionPlanner>();
        return builder;
    }
}
