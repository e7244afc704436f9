using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>
/// Turns an event into the Crisp calls the tenant's rules ask for. Pure: it reads nothing and writes nothing, so the
/// dry-run preview and real ingestion run exactly the same code.
/// </summary>
public sealed class RulePlanner(RuleTemplates templates)
{
    public sealed record ActiveRule(Guid RuleId, Guid VersionId, int Version, string Name, RuleDefinition Definition);

    public sealed record RuleOutcome(ActiveRule Rule, bool Matched, IReadOnlyList<string> Reasons, IReadOnlyList<PlannedCall> Calls, IReadOnlyList<string> Errors);

    public const string EventsSwitchedOff =
        "product events are switched off in the plugin settings (features.events): the event is stored and nothing is sent to Crisp";

    /// <summary>
    /// What ingestion makes of these outcomes while the website's product events are switched off: no call at all
    /// (<see cref="RuleEventActionPlanner"/>). The previews show it so, rather than calls delivery would never make.
    /// </summary>
    public static IReadOnlyList<RuleOutcome> ForSettings(IReadOnlyList<RuleOutcome> outcomes, string? settingsJson) =>
        CrispSettings.TenantSettings.Parse(settingsJson).Features.Events
            ? outcomes
            : outcomes.Select(o => o.Matched ? o with { Calls = [], Errors = [EventsSwitchedOff] } : o).ToList();

    public async Task<IReadOnlyList<RuleOutcome>> PlanAsync(RuleEvent evt, IEnumerable<ActiveRule> rules)
    {
        var outcomes = new List<RuleOutcome>();
        var model = evt.ToModel();
        foreach (var rule in rules)
        {
            var match = RuleMatcher.Evaluate(rule.Definition, evt);
            if (!match.IsMatch)
            {
                outcomes.Add(new RuleOutcome(rule, false, match.Reasons, [], []));
                continue;
            }

            var calls = new List<PlannedCall>();
            var errors = new List<string>();
            for (var i = 0; i < rule.Definition.Actions.Count; i++)
            {
                try
                {
                    var call = await PlanActionAsync(rule, i, rule.Definition.Actions[i], evt, model);
                    if (call is null)
                    {
                        errors.Add($"action {i + 1} ({rule.Definition.Actions[i].Type}): nothing to send for this event");
                    }
                    else
                    {
                        calls.Add(call);
                    }
                }
                catch (RuleTemplateException ex)
                {
                    errors.Add($"action {i + 1} ({rule.Definition.Actions[i].Type}): {ex.Message}");
                }
                catch (MissingEmailException)
                {
                    errors.Add($"action {i + 1} ({rule.Definition.Actions[i].Type}): the event has no email, and Crisp keys people by email");
                }
            }

            outcomes.Add(new RuleOutcome(rule, true, match.Reasons, calls, errors));
        }

        return outcomes;
    }

    private async Task<PlannedCall?> PlanActionAsync(ActiveRule rule, int index, RuleAction action, RuleEvent evt, JsonObject model)
    {
        string Email() => string.IsNullOrWhiteSpace(evt.Email) ? throw new MissingEmailException() : evt.Email.Trim().ToLowerInvariant();
        PlannedCall Call(string kind, JsonObject payload, string? orderingKey) =>
            new(rule.RuleId, rule.VersionId, rule.Name, index, kind, payload, orderingKey);

        switch (action.Type)
        {
            case RuleActionType.PeopleEvent:
            {
                var email = Email();
                var text = (await templates.RenderAsync(action.Text ?? string.Empty, model)).Trim();
                if (text.Length == 0)
                {
                    return null;
                }

                var data = await RenderDataAsync(action.Data, model) ?? [];
                return Call(CrispCallKinds.PeopleEventAdd, new JsonObject { ["email"] = email, ["text"] = Truncate(text, 500), ["data"] = data, ["color"] = action.Color ?? "blue" }, email);
            }

            case RuleActionType.PeopleData:
            case RuleActionType.SessionData:
            {
                var email = Email();
                var data = await RenderDataAsync(action.Data, model);
                if (data is null)
                {
                    return null;
                }

                return action.Type == RuleActionType.PeopleData
                    ? Call(CrispCallKinds.PeopleDataMerge, new JsonObject { ["email"] = email, ["data"] = data }, email)
                    : Call(CrispCallKinds.SessionDataMerge, new JsonObject { ["email"] = email, ["data"] = data, ["create_conversation"] = action.CreateConversation }, email);
            }

            case RuleActionType.PeopleSegmentsAdd:
            case RuleActionType.PeopleSegmentsRemove:
            case RuleActionType.ConversationSegmentsAdd:
            case RuleActionType.ConversationSegmentsRemove:
            {
                var email = Email();
                var segments = await RenderSegmentsAsync(action.Segments, model);
                if (segments.Count == 0)
                {
                    return null;
                }

                var payload = new JsonObject { ["email"] = email, ["segments"] = segments };
                var kind = action.Type switch
                {
                    RuleActionType.PeopleSegmentsAdd => CrispCallKinds.PeopleSegmentsAdd,
                    RuleActionType.PeopleSegmentsRemove => CrispCallKinds.PeopleSegmentsRemove,
                    RuleActionType.ConversationSegmentsAdd => CrispCallKinds.ConversationSegmentsAdd,
                    _ => CrispCallKinds.ConversationSegmentsRemove,
                };
                if (action.Type == RuleActionType.ConversationSegmentsAdd)
                {
                    payload["create_conversation"] = action.CreateConversation;
                }

                return Call(kind, payload, email);
            }

            case RuleActionType.Note:
            {
                var email = Email();
                var content = (await templates.RenderAsync(action.Text ?? string.Empty, model)).Trim();
                return content.Length == 0
                    ? null
                    : Call(CrispCallKinds.ConversationNote, new JsonObject { ["email"] = email, ["content"] = Truncate(content, 10_000), ["create_conversation"] = action.CreateConversation }, email);
            }

            case RuleActionType.CampaignDispatch:
                return string.IsNullOrWhiteSpace(action.CampaignId)
                    ? null
                    : Call(CrispCallKinds.CampaignDispatch, new JsonObject { ["campaign_id"] = action.CampaignId }, evt.Email?.Trim().ToLowerInvariant());

            default:
                return null;
        }
    }

    private async Task<JsonObject?> RenderDataAsync(IReadOnlyDictionary<string, string>? data, JsonObject model)
    {
        if (data is null || data.Count == 0)
        {
            return null;
        }

        var rendered = new JsonObject();
        foreach (var (key, template) in data)
        {
            var value = await templates.RenderValueAsync(template, model);
            if (value is JsonValue primitive && (primitive.GetValueKind() != System.Text.Json.JsonValueKind.String || primitive.GetValue<string>().Length > 0))
            {
                // A value that renders to nothing is left out, rather than wiping what Crisp holds for that key.
                rendered[key] = primitive.GetValueKind() == System.Text.Json.JsonValueKind.String ? Truncate(primitive.GetValue<string>(), 1_000) : primitive;
            }
        }

        return rendered.Count == 0 ? null : rendered;
    }

    private async Task<JsonArray> RenderSegmentsAsync(IReadOnlyList<string>? segments, JsonObject model)
    {
        var result = new List<string>();
        foreach (var template in segments ?? [])
        {
            var segment = (await templates.RenderAsync(template, model)).Trim().ToLowerInvariant();
            if (segment.Length > RuleValidator.MaxSegmentLength)
            {
                // Crisp would refuse it: said, not dropped in silence.
                throw new RuleTemplateException($"the segment '{TextCut.Truncate(segment, 20)}…' is longer than {RuleValidator.MaxSegmentLength} characters");
            }

            if (segment.Length > 0 && !result.Contains(segment))
            {
                result.Add(segment);
            }
        }

        return new JsonArray(result.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray());
    }

    /// <summary>Cut to Crisp's limit on a text-element boundary: never half an emoji or a letter without its accent.</summary>
    private static string Truncate(string value, int max) => TextCut.Truncate(value, max);

    private sealed class MissingEmailException : Exception;
}
