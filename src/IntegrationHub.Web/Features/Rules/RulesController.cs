using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Json;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>Rules in the dashboard: list, create, edit (new version), switch on/off, the preset, and the dry-run preview.</summary>
[Authorize]
[Route("t/{websiteId}/rules")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class RulesController(
    RuleService rules, RulePlanner planner, HubDbContext db, Delivery.PluginQuota quota, IOptions<Delivery.DeliveryOptions> delivery, TimeProvider clock)
    : Controller
{
    private string Actor => User.Identity?.Name ?? "unknown";

    private bool CanEdit => HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Editor) == true;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? page, CancellationToken cancellationToken)
    {
        var (list, pager) = await rules.PageAsync(page, $"/t/{RouteWebsite}/rules", cancellationToken);
        var rows = new List<RuleListRow>();
        foreach (var rule in list)
        {
            var definition = await rules.CurrentDefinitionAsync(rule, cancellationToken);
            rows.Add(new RuleListRow(rule, definition?.Trigger ?? "?", definition?.Actions.Count ?? 0));
        }

        return View(new RuleListModel(await WebsiteAsync(cancellationToken), rows, CanEdit, pager));
    }

    [HttpGet("new")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> New(CancellationToken cancellationToken) =>
        View("Edit", new RuleEditModel(await WebsiteAsync(cancellationToken), null, new RuleForm().WithBlankRows(), new Dictionary<string, string[]>(), []));

    [HttpPost("new")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Create(RuleForm form, CancellationToken cancellationToken)
    {
        var (definition, formErrors) = form.ToDefinition();
        AddBindingErrors(formErrors);
        var result = formErrors.Count > 0 ? null : await rules.CreateAsync(form.Name, definition, Actor, cancellationToken);
        if (result is { Succeeded: true })
        {
            TempData["Message"] = $"Rule '{result.Rule!.Name}' created.";
            return Redirect($"/t/{RouteWebsite}/rules");
        }

        var errors = Merge(formErrors, form.FormKeys(result?.Errors ?? RuleValidator.Validate(form.Name, definition)));
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Edit", new RuleEditModel(await WebsiteAsync(cancellationToken), null, form.WithBlankRows(), errors, []));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var rule = await rules.FindAsync(id, cancellationToken);
        if (rule is null)
        {
            return NotFound();
        }

        var definition = await rules.CurrentDefinitionAsync(rule, cancellationToken) ?? new RuleDefinition();
        var form = RuleForm.From(rule.Name, definition);
        form.BaseVersion = rule.CurrentVersion;
        return View("Edit", new RuleEditModel(await WebsiteAsync(cancellationToken), rule, form, new Dictionary<string, string[]>(), await rules.VersionsAsync(id, cancellationToken)));
    }

    [HttpPost("{id:guid}")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Update(Guid id, RuleForm form, CancellationToken cancellationToken)
    {
        var rule = await rules.FindAsync(id, cancellationToken);
        if (rule is null)
        {
            return NotFound();
        }

        var (definition, formErrors) = form.ToDefinition();
        AddBindingErrors(formErrors);
        var result = formErrors.Count > 0 ? null : await rules.UpdateAsync(id, form.Name, definition, Actor, cancellationToken, form.BaseVersion);
        if (result is { Succeeded: true })
        {
            TempData["Message"] = $"Rule '{result.Rule!.Name}' saved as version {result.Rule.CurrentVersion}.";
            return Redirect($"/t/{RouteWebsite}/rules");
        }

        var errors = Merge(formErrors, form.FormKeys(result?.Errors ?? RuleValidator.Validate(form.Name, definition)));
        var conflict = errors.ContainsKey(RuleService.VersionConflict);
        if (conflict)
        {
            // The user has now seen the newer version: saving this form again replaces it on purpose.
            rule = result!.Rule!;
            form.BaseVersion = rule.CurrentVersion;
        }

        Response.StatusCode = conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return View("Edit", new RuleEditModel(await WebsiteAsync(cancellationToken), rule, form.WithBlankRows(), errors, await rules.VersionsAsync(id, cancellationToken)));
    }

    [HttpPost("{id:guid}/enabled")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> SetEnabled(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        if (!await rules.SetEnabledAsync(id, enabled, Actor, cancellationToken))
        {
            return NotFound();
        }

        TempData["Message"] = enabled ? "Rule switched on." : "Rule switched off.";
        return Redirect($"/t/{RouteWebsite}/rules");
    }

    [HttpPost("presets/support-context")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> EnableSupportContext(CancellationToken cancellationToken)
    {
        await rules.EnablePresetAsync(RulePresets.SupportContext, Actor, cancellationToken);
        TempData["Message"] = "Support context is on: plan tier, account age and recent errors now reach people data and session data.";
        return Redirect($"/t/{RouteWebsite}/rules");
    }

    public const int RecentEvents = 20;

    private const int PreviewMaxDepth = 64;

    /// <summary>The preview page; with <paramref name="eventId"/>, one of the website's recent events previewed.</summary>
    [HttpGet("preview")]
    public async Task<IActionResult> Preview(Guid? eventId, CancellationToken cancellationToken)
    {
        var website = await WebsiteAsync(cancellationToken);
        var recent = await RecentEventsAsync(cancellationToken);
        if (eventId is null)
        {
            return View(new RulePreviewModel(website, SampleEvent, null, null, 0, null, recent));
        }

        // The tenant's query filter scopes the lookup: another website's event id is simply not found.
        var stored = await db.Set<ProductEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (stored is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return View(new RulePreviewModel(website, SampleEvent, "No such event among this website's events.", null, 0, null, recent));
        }

        // A stored event was accepted by the API already: it is previewed as stored (its timestamp may be old by now).
        return await PreviewAsync(website, EventJson(stored), recent, cancellationToken, stored);
    }

    [HttpPost("preview")]
    public async Task<IActionResult> Preview(string? eventJson, CancellationToken cancellationToken) =>
        await PreviewAsync(await WebsiteAsync(cancellationToken), eventJson, await RecentEventsAsync(cancellationToken), cancellationToken);

    private async Task<IActionResult> PreviewAsync(Tenants.Tenant website, string? eventJson, IReadOnlyList<RecentEvent> recent, CancellationToken cancellationToken,
        ProductEvent? stored = null)
    {
        // The strict reader, like the API's: a repeated name or an unpaired surrogate is refused here, not met
        // later while the event is read (a repeated name used to end the request in a 500). Then the API's own
        // event rules, with its messages: a preview of an event the API refuses would show calls that never happen.
        RuleEvent? evt = stored is null ? null : RuleEvent.From(stored);
        string? problem = null;
        if (evt is null)
        {
            using var document = StrictJson.Parse(Encoding.UTF8.GetBytes(eventJson ?? string.Empty), PreviewMaxDepth, out var invalid);
            if (document is null)
            {
                problem = "The event is not valid JSON: " + invalid;
            }
            else
            {
                var errors = new FieldErrors();
                evt = RuleEvent.Read(document.RootElement, string.Empty, errors, clock.GetUtcNow());
                problem = evt is not null ? null : "The API would refuse this event: "
                    + string.Join(" ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
            }
        }

        if (evt is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Preview", new RulePreviewModel(website, eventJson ?? string.Empty, problem, null, 0, null, recent));
        }

        var outcomes = RulePlanner.ForSettings(await planner.PlanAsync(evt, await rules.ActiveAsync(cancellationToken)), website.SettingsJson);
        var budget = delivery.Value.BudgetPerMinute(website.SettingsJson);
        return View("Preview", new RulePreviewModel(website, eventJson!, null, outcomes, budget, await quota.GetStatusAsync(cancellationToken), recent));
    }

    private Task<List<RecentEvent>> RecentEventsAsync(CancellationToken cancellationToken) =>
        db.Set<ProductEvent>().AsNoTracking()
            .OrderByDescending(e => e.AcceptedAt).ThenByDescending(e => e.Id)
            .Take(RecentEvents)
            .Select(e => new RecentEvent(e.Id, e.Name, e.Email ?? e.UserId, e.AcceptedAt))
            .ToListAsync(cancellationToken);

    /// <summary>A stored event as its backend sent it (the shape <c>POST /api/v1/events</c> takes).</summary>
    private static string EventJson(ProductEvent stored) => new JsonObject
    {
        ["event"] = stored.Name,
        ["email"] = stored.Email,
        ["user_id"] = stored.UserId,
        ["properties"] = JsonNode.Parse(stored.Properties) as JsonObject ?? [],
        ["timestamp"] = stored.OccurredAt.ToString("O", CultureInfo.InvariantCulture),
    }.ToJsonString(DeliveryLog.DashboardFormat.ReadableJson);

    private string RouteWebsite => (string)RouteData.Values[DashboardTenantResolver.RouteKey]!;

    private Task<Tenants.Tenant> WebsiteAsync(CancellationToken cancellationToken) => db.Tenants.AsNoTracking().SingleAsync(cancellationToken);

    /// <summary>
    /// A value the form never offers (<c>ConditionMode=Bogus</c>, an unknown operator) fails to bind and would leave
    /// the default in its place: it is refused next to its field instead.
    /// </summary>
    private void AddBindingErrors(Dictionary<string, string[]> errors)
    {
        foreach (var (key, entry) in ModelState)
        {
            if (entry.Errors.Count > 0)
            {
                errors[FieldKey(key)] = ["Pick one of the values offered."];
            }
        }
    }

    // "Conditions[0].Operator" → "conditions[0].operator", the validator's field names.
    private static string FieldKey(string modelStateKey) => string.Join('.', modelStateKey.Split('.').Select(part =>
    {
        var index = part.IndexOf('[', StringComparison.Ordinal);
        return index < 0 ? JsonNamingPolicy.SnakeCaseLower.ConvertName(part) : JsonNamingPolicy.SnakeCaseLower.ConvertName(part[..index]) + part[index..];
    }));

    private static Dictionary<string, string[]> Merge(Dictionary<string, string[]> a, IReadOnlyDictionary<string, string[]> b)
    {
        var merged = new Dictionary<string, string[]>(a);
        foreach (var (key, value) in b)
        {
            merged[key] = merged.TryGetValue(key, out var existing) ? [.. existing, .. value] : value;
        }

        return merged;
    }

    private const string SampleEvent = """
        {
          "event": "order.paid",
          "email": "ada@example.com",
          "properties": { "amount": 149, "plan_tier": "pro", "account_age_days": 412, "recent_errors": ["E42 checkout timeout"] }
        }
        """;
}

public sealed record RuleListRow(Rule Rule, string Trigger, int Actions);

public sealed record RuleListModel(Tenants.Tenant Website, IReadOnlyList<RuleListRow> Rules, bool CanEdit, Pager Pager);

public sealed record RuleEditModel(Tenants.Tenant Website, Rule? Rule, RuleForm Form, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<RuleVersion> Versions)
{
    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}

public sealed record RecentEvent(Guid Id, string Name, string? Contact, DateTimeOffset AcceptedAt);

public sealed record RulePreviewModel(Tenants.Tenant Website, string EventJson, string? Error, IReadOnlyList<RulePlanner.RuleOutcome>? Outcomes, int BudgetPerMinute, Delivery.QuotaStatus? Quota, IReadOnlyList<RecentEvent> Recent);
