using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.CrispSettings;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary>Auto-reply rules in the dashboard: list, create, edit, switch on/off, delete, and the tenant-wide window
/// and cap. Viewers read; editors write; every change is audited. Same checks as <c>/api/v1/auto-replies</c>.</summary>
[Authorize]
[Route("t/{websiteId}/auto-replies")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class AutoRepliesController(HubDbContext db, Audit.AuditLog audit) : Controller
{
    private string Actor => User.Identity?.Name ?? "unknown";

    private bool CanEdit => HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Editor) == true;

    private string RouteWebsite => (string)RouteData.Values[DashboardTenantResolver.RouteKey]!;

    private string IndexUrl => $"/t/{RouteWebsite}/auto-replies";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View("Index", await ModelAsync(new AutoReplyForm(), null, [], cancellationToken));

    [HttpPost("")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Create(AutoReplyForm form, CancellationToken cancellationToken)
    {
        var rules = await RulesAsync(cancellationToken);
        var (window, cap) = Settings(rules);
        var errors = new Dictionary<string, string[]>();
        var rule = AutoReplyValidation.Rule(form.ToDto(), "", rules.Count == 0 ? 0 : rules.Max(r => r.Position) + 1, window, cap, errors);
        if (rules.Count >= AutoReplyValidation.MaxRules)
        {
            errors["rules"] = [$"At most {AutoReplyValidation.MaxRules} rules."];
        }

        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await ModelAsync(form, null, errors, cancellationToken));
        }

        db.Set<AutoReplyRule>().Add(rule);
        audit.Record(Actor, "auto_reply.created", rule.Id.ToString("D"), rule.Name);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"Auto-reply '{rule.Name}' added.";
        return Redirect(IndexUrl);
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var rule = await db.Set<AutoReplyRule>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        return rule is null ? NotFound() : View("Edit", await EditModelAsync(rule, AutoReplyForm.Of(rule), [], cancellationToken));
    }

    [HttpPost("{id:guid}")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Update(Guid id, AutoReplyForm form, CancellationToken cancellationToken)
    {
        var rule = await db.Set<AutoReplyRule>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>();
        var updated = AutoReplyValidation.Rule(form.ToDto(), "", rule.Position, rule.WindowMinutes, rule.CapPerHour, errors);
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Edit", await EditModelAsync(rule, form, errors, cancellationToken));
        }

        rule.Name = updated.Name;
        rule.Enabled = updated.Enabled;
        rule.Trigger = updated.Trigger;
        rule.TextContains = updated.TextContains;
        rule.TimeZone = updated.TimeZone;
        rule.Days = updated.Days;
        rule.FromMinute = updated.FromMinute;
        rule.ToMinute = updated.ToMinute;
        rule.ReplyText = updated.ReplyText;
        audit.Record(Actor, "auto_reply.updated", id.ToString("D"), rule.Name);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"Auto-reply '{rule.Name}' saved.";
        return Redirect(IndexUrl);
    }

    [HttpPost("{id:guid}/enabled")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> SetEnabled(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        var rule = await db.Set<AutoReplyRule>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return NotFound();
        }

        rule.Enabled = enabled;
        audit.Record(Actor, enabled ? "auto_reply.enabled" : "auto_reply.disabled", id.ToString("D"), rule.Name);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = enabled ? $"Auto-reply '{rule.Name}' enabled." : $"Auto-reply '{rule.Name}' disabled.";
        return Redirect(IndexUrl);
    }

    [HttpPost("{id:guid}/delete")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var rule = await db.Set<AutoReplyRule>().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return NotFound();
        }

        db.Set<AutoReplyRule>().Remove(rule);
        audit.Record(Actor, "auto_reply.deleted", id.ToString("D"), rule.Name);
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = $"Auto-reply '{rule.Name}' deleted.";
        return Redirect(IndexUrl);
    }

    /// <summary>The tenant-wide window and hourly cap; kept on every rule (see <see cref="AutoReplyRule"/>).</summary>
    [HttpPost("settings")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> SaveSettings(int windowMinutes, int capPerHour, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        AutoReplyValidation.Settings(windowMinutes, capPerHour, errors);
        var rules = await db.Set<AutoReplyRule>().ToListAsync(cancellationToken);
        if (rules.Count == 0)
        {
            errors["rules"] = ["Add a rule first: the window and cap are kept with the rules."];
        }

        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await ModelAsync(new AutoReplyForm(), null, errors, cancellationToken));
        }

        foreach (var rule in rules)
        {
            rule.WindowMinutes = windowMinutes;
            rule.CapPerHour = capPerHour;
        }

        audit.Record(Actor, "auto_reply.settings_updated", null, $"window {windowMinutes} min, cap {capPerHour}/h");
        await db.SaveChangesAsync(cancellationToken);
        TempData["Message"] = "Window and cap saved.";
        return Redirect(IndexUrl);
    }

    private Task<List<AutoReplyRule>> RulesAsync(CancellationToken cancellationToken) =>
        db.Set<AutoReplyRule>().AsNoTracking().OrderBy(r => r.Position).ToListAsync(cancellationToken);

    private static (int Window, int Cap) Settings(List<AutoReplyRule> rules) =>
        (rules.FirstOrDefault()?.WindowMinutes ?? AutoReplyTriggers.DefaultWindowMinutes, rules.FirstOrDefault()?.CapPerHour ?? AutoReplyTriggers.DefaultCapPerHour);

    private async Task<AutoRepliesPageModel> ModelAsync(AutoReplyForm form, Guid? editing, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var rules = await RulesAsync(cancellationToken);
        var (window, cap) = Settings(rules);
        var featureOn = TenantSettings.Parse(tenant.SettingsJson).Features.AutoReplies;
        return new AutoRepliesPageModel(tenant, rules, window, cap, featureOn, CanEdit, form, editing, errors);
    }

    private async Task<AutoRepliesPageModel> EditModelAsync(AutoReplyRule rule, AutoReplyForm form, Dictionary<string, string[]> errors, CancellationToken cancellationToken) =>
        await ModelAsync(form, rule.Id, errors, cancellationToken);
}

public sealed record AutoRepliesPageModel(
    Tenants.Tenant Website,
    IReadOnlyList<AutoReplyRule> Rules,
    int WindowMinutes,
    int CapPerHour,
    bool FeatureOn,
    bool CanEdit,
    AutoReplyForm Form,
    Guid? Editing,
    IReadOnlyDictionary<string, string[]> Errors)
{
    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}

/// <summary>One rule as the page's form posts it.</summary>
public sealed class AutoReplyForm
{
    public string? Name { get; set; }

    public bool Enabled { get; set; } = true;

    public string? Trigger { get; set; } = AutoReplyTriggers.FirstMessage;

    public string? TextContains { get; set; }

    public string? TimeZone { get; set; } = "UTC";

    public List<int>? Days { get; set; } = [1, 2, 3, 4, 5];

    public string? From { get; set; } = "09:00";

    public string? To { get; set; } = "18:00";

    public string? ReplyText { get; set; }

    public AutoRepliesApi.AutoReplyRuleDto ToDto() => new(Name, Enabled, Trigger, TextContains, TimeZone, Days, From, To, ReplyText);

    public static AutoReplyForm Of(AutoReplyRule rule) => new()
    {
        Name = rule.Name,
        Enabled = rule.Enabled,
        Trigger = rule.Trigger,
        TextContains = rule.TextContains,
        TimeZone = rule.TimeZone ?? "UTC",
        Days = AutoReplyValidation.ParseDays(rule.Days) ?? [1, 2, 3, 4, 5],
        From = AutoReplyValidation.FormatTime(rule.FromMinute) ?? "09:00",
        To = AutoReplyValidation.FormatTime(rule.ToMinute) ?? "18:00",
        ReplyText = rule.ReplyText,
    };
}
