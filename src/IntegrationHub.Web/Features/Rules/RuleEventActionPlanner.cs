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
public sealed class RuleEventActionPlanner(RuleService rules, RulePlanner planner, HubDbContext db, ILogger<RuleEventActionPlanner> logger) : IEventActionPlanner
{
    public async ValueTask<IReadOnlyList<Events.PlannedCall>> PlanAsync(IReadOnlyList<ProductEvent> events, CancellationToken cancellationToken)
    {
        var settingsJson = await db.Tenants.AsNoTracking().Select(t => t.SettingsJson).SingleOrDefaultAsync(cancellationToken);
        if (!TenantSettings.Parse(settingsJson).Features.Events)
        {
            // The website switched product events off in its plugin settings: events are kept, nothing is sent.
            return [];
        }

        var active = await rules.ActiveAsync(cancellationToken);
        if (active.Count == 0)
        {
            return [];
        }

        var calls = new List<Events.PlannedCall>();
        foreach (var productEvent in events)
        {
            var properties = JsonNode.Parse(productEvent.Properties) as JsonObject ?? [];
            var ruleEvent = new RuleEvent(productEvent.Name, productEvent.Email, productEvent.UserId, properties, productEvent.OccurredAt);
            foreach (var outcome in await planner.PlanAsync(ruleEvent, active))
            {
                foreach (var error in outcome.Errors)
                {
                    logger.LogInformation("Event {EventId}, rule {Rule} v{Version}: {Error}", productEvent.Id, outcome.Rule.Name, outcome.Rule.Version, error);
                }

                calls.AddRange(outcome.Calls.Select(c => new Events.PlannedCall(productEvent.Id, c.Kind, c.Payload.ToJsonString(), c.OrderingKey, c.RuleVersionId)));
            }
        }

        return calls;
    }
}
