using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.CrispSettings;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// Ingestion's planner: matches accepted events against the tenant's enabled rules inside the ingest transaction,
/// so the outbox calls commit together with the events (or not at all). Same <see cref="RulePlanner"/> as the preview.
/// </summary>
public sealed class RuleEventActionPlanner(RuleService rules, RulePlanner planner, RulePlanCache cache, HubDbContext db)
    : IEventActionPlanner
{
    public async ValueTask<EventPlan> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken)
    {
        var tenantId = db.CurrentTenantId ?? throw new InvalidOperationException("Planning needs a tenant scope.");
        var plan = await cache.GetAsync(tenantId, async () =>
        {
            var settingsJson = await db.Tenants.AsNoTracking().Select(t => t.SettingsJson).SingleOrDefaultAsync(cancellationToken);
            return new RulePlanCache.Entry(TenantSettings.Parse(settingsJson).Features.Events, await rules.ActiveAsync(cancellationToken));
        });

        var active = plan.Rules;
        if (active.Count == 0)
        {
            return EventPlan.None;
        }

        var calls = new List<Events.PlannedCall>();
        var problems = new List<RuleProblem>();
        foreach (var productEvent in events)
        {
            var ruleEvent = RuleEvent.From(productEvent);
            if (!plan.EventsEnabled)
            {
                // Product events switched off in the plugin settings: events are kept, nothing is sent. Each rule that
                // matches is recorded with the reason (as the preview shows it), so the event does not look unmatched;
                // matching only, nothing rendered.
                foreach (var rule in active)
                {
                    if (RuleMatcher.Evaluate(rule.Definition, ruleEvent).IsMatch)
                    {
                        problems.Add(new RuleProblem(productEvent.Id, rule.VersionId, rule.Name, rule.Version, RulePlanner.EventsSwitchedOff, Logged: false));
                    }
                }

                continue;
            }

            foreach (var outcome in await planner.PlanAsync(ruleEvent, active))
            {
                problems.AddRange(outcome.Errors.Select(error =>
                    new RuleProblem(productEvent.Id, outcome.Rule.VersionId, outcome.Rule.Name, outcome.Rule.Version, error)));

                calls.AddRange(outcome.Calls.Select(c => new Events.PlannedCall(productEvent.Id, c.Kind, c.Payload.ToJsonString(), c.OrderingKey, c.RuleVersionId)));
            }
        }

        return new EventPlan(calls, problems);
    }
}
