using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Rules;

public static class RulesApi
{
    /// <summary>Room for the most drafts a preview takes (50), each with its templates.</summary>
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>An event to try the rules on, shaped like <c>POST /api/v1/events</c>.</summary>
    public sealed record PreviewEvent(string? Event, string? Email, string? UserId, JsonObject? Properties, DateTimeOffset? Timestamp);

    /// <summary>A draft rule to preview instead of the stored ones (e.g. from a customer's CI before saving).</summary>
    public sealed record DraftRule(string? Name, RuleDefinition? Definition);

    /// <summary>Preview request: the event, and optionally draft rules (otherwise the tenant's enabled rules).</summary>
    public sealed record PreviewRequest(PreviewEvent? Event, IReadOnlyList<DraftRule>? Rules);

    public sealed record PreviewHttpCall(string Method, string Path, JsonNode? Body, string? Note);

    public sealed record PreviewCall(string Kind, JsonObject Payload, IReadOnlyList<PreviewHttpCall> Http);

    public sealed record PreviewRule(Guid? RuleId, string Name, int? Version, bool Matched, IReadOnlyList<string> Reasons, IReadOnlyList<string> Errors, IReadOnlyList<PreviewCall> Calls);

    /// <summary>What the event would cost: Crisp requests against the website's per-minute budget and the plugin's daily quota.</summary>
    public sealed record PreviewCost(int OutboxCalls, int HttpRequests, int BudgetPerMinute, double ShareOfMinuteBudget, int DailyQuota, int DailyQuotaUsedToday, double ShareOfDailyQuota);

    public sealed record PreviewResponse(IReadOnlyList<PreviewRule> Rules, PreviewCost Cost);

    public static RouteGroupBuilder MapRulesApi(this RouteGroupBuilder api)
    {
        api.MapPost("/rules/preview", PreviewAsync)
            .WithName("PreviewRules")
            .WithTags("Rules")
            .WithSummary("Dry-run: which rules match an event, and the exact Crisp calls they would make")
            .WithDescription("Makes no Crisp call and stores nothing. Without `rules`, the website's enabled rules are used; "
                + "with `rules`, those drafts are validated and previewed instead (use it in your backend's CI).")
            .Accepts<PreviewRequest>("application/json")
            .Produces<PreviewResponse>()
            .WithStandardErrors(withBody: true);
        return api;
    }

    private static async Task<IResult> PreviewAsync(
        HttpContext http, IOptions<JsonOptions> json, RuleService rules, RulePlanner planner, HubDbContext db, Delivery.PluginQuota quota,
        IOptions<Delivery.DeliveryOptions> delivery, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (request, problem) = await TypedJsonRequestReader.ReadAsync<PreviewRequest>(http.Request, MaxBodyBytes, json.Value.SerializerOptions,
            cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        // The event is read by the API's own event rules: one POST /api/v1/events would refuse is refused here too.
        var eventErrors = new FieldErrors();
        var ruleEvent = RuleEvent.Read(JsonSerializer.SerializeToElement(request?.Event ?? new PreviewEvent(null, null, null, null, null), json.Value.SerializerOptions),
            "event", eventErrors, clock.GetUtcNow());
        foreach (var (field, messages) in eventErrors.ToDictionary())
        {
            errors[field] = messages;
        }

        var active = new List<RulePlanner.ActiveRule>();
        if (request?.Rules is { Count: > 0 } drafts)
        {
            if (drafts.Count > 50)
            {
                errors["rules"] = ["At most 50 draft rules."];
            }

            for (var i = 0; i < drafts.Count && i < 50; i++)
            {
                if (drafts[i] is null)
                {
                    errors[$"rules[{i}]"] = ["A draft rule object ({\"name\", \"definition\"}), not null."];
                    continue;
                }

                var definition = drafts[i].Definition ?? new RuleDefinition();
                foreach (var (field, messages) in RuleValidator.Validate(drafts[i].Name ?? $"draft {i + 1}", definition))
                {
                    errors[$"rules[{i}].{field}"] = messages;
                }

                active.Add(new RulePlanner.ActiveRule(Guid.Empty, Guid.Empty, 0, drafts[i].Name ?? $"draft {i + 1}", definition));
            }
        }
        else
        {
            active.AddRange(await rules.ActiveAsync(cancellationToken));
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var outcomes = RulePlanner.ForSettings(await planner.PlanAsync(ruleEvent!, active), tenant.SettingsJson);

        var previewRules = outcomes.Select(o => new PreviewRule(
            o.Rule.RuleId == Guid.Empty ? null : o.Rule.RuleId,
            o.Rule.Name,
            o.Rule.RuleId == Guid.Empty ? null : o.Rule.Version,
            o.Matched,
            o.Reasons,
            o.Errors,
            o.Calls.Select(c => new PreviewCall(c.Kind, c.Payload, CrispCallPreview.Describe(tenant.WebsiteId, c.Kind, c.Payload)
                .Select(h => new PreviewHttpCall(h.Method, h.Path, h.Body, h.Note)).ToList())).ToList())).ToList();

        var outboxCalls = previewRules.Sum(r => r.Calls.Count);
        var httpRequests = previewRules.Sum(r => r.Calls.Sum(c => c.Http.Count));
        var budget = delivery.Value.BudgetPerMinute(tenant.SettingsJson);
        var quotaStatus = await quota.GetStatusAsync(cancellationToken);
        return TypedResults.Ok(new PreviewResponse(previewRules, new PreviewCost(
            outboxCalls,
            httpRequests,
            budget,
            budget == 0 ? 0 : Math.Round((double)httpRequests / budget, 3),
            quotaStatus.DailyQuota,
            quotaStatus.Used,
            quotaStatus.DailyQuota == 0 ? 0 : Math.Round((double)httpRequests / quotaStatus.DailyQuota, 6))));
    }
}
