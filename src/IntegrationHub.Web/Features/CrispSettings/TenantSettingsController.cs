using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.CrispSettings;

/// <summary>
/// The website's plugin settings inside the hub's dashboard (the same settings Crisp's settings page edits).
/// Saving stores them and queues the write-back to Crisp through the delivery engine, in one transaction.
/// </summary>
[Authorize]
[Route("t/{websiteId}/settings")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class TenantSettingsController(HubDbContext db, CrispCallOutbox outbox, AuditLog audit, IOptions<DeliveryOptions> delivery, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        return View(await PageAsync(tenant, SettingsFormFor(tenant), null, cancellationToken));
    }

    [HttpPost("")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> Save(DashboardSettingsForm form, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.SingleAsync(cancellationToken);
        var max = delivery.Value.MaxBudgetPerMinute;
        if (form.RateBudgetPerMinute < DeliveryOptions.MinBudgetPerMinute || form.RateBudgetPerMinute > max)
        {
            ModelState.AddModelError(nameof(form.RateBudgetPerMinute), $"Choose between {DeliveryOptions.MinBudgetPerMinute} and {max} calls per minute.");
        }

        if (TenantSettings.DisplayNameError(form.DisplayName) is { } nameError)
        {
            ModelState.AddModelError(nameof(form.DisplayName), nameError);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await PageAsync(tenant, form, null, cancellationToken));
        }

        var settings = new TenantSettings
        {
            DisplayName = string.IsNullOrWhiteSpace(form.DisplayName) ? null : form.DisplayName.Trim(),
            RateBudgetPerMinute = delivery.Value.BudgetToStore(tenant.SettingsJson, form.RateBudgetPerMinute),
            Features = new TenantFeatures { Events = form.EventsEnabled, Relay = form.RelayEnabled, Helpdesk = form.HelpdeskEnabled, AutoReplies = form.AutoRepliesEnabled },
        };
        var merged = settings.MergeInto(tenant.SettingsJson);
        tenant.SettingsJson = merged.ToJsonString();
        tenant.Name = settings.DisplayName ?? tenant.Name;
        tenant.UpdatedAt = clock.GetUtcNow();
        outbox.Enqueue(CrispCallKinds.PluginSettingsUpdate, new { settings = merged });
        audit.Record(User.Identity?.Name ?? "unknown", "settings.saved", tenant.Name, $"budget {form.RateBudgetPerMinute}/min");
        await db.SaveChangesAsync(cancellationToken);
        // The events switch is read by ingestion through a short cache: this node sees the change at once.
        HttpContext.RequestServices.GetRequiredService<Rules.RulePlanCache>().Invalidate(tenant.Id);
        TempData["Message"] = "Settings saved; Crisp's copy is updated through the delivery queue.";
        return Redirect($"/t/{tenant.WebsiteId}/settings");
    }

    private DashboardSettingsForm SettingsFormFor(Tenants.Tenant tenant)
    {
        var settings = TenantSettings.Parse(tenant.SettingsJson);
        return new DashboardSettingsForm
        {
            DisplayName = settings.DisplayName ?? tenant.Name,
            RateBudgetPerMinute = delivery.Value.BudgetPerMinute(tenant.SettingsJson),
            EventsEnabled = settings.Features.Events,
            RelayEnabled = settings.Features.Relay,
            HelpdeskEnabled = settings.Features.Helpdesk,
            AutoRepliesEnabled = settings.Features.AutoReplies,
        };
    }

    private async Task<DashboardSettingsPage> PageAsync(Tenants.Tenant tenant, DashboardSettingsForm form, string? message, CancellationToken cancellationToken)
    {
        var secrets = await db.Set<TenantSecret>().AsNoTracking().Select(s => s.Name).ToListAsync(cancellationToken);
        var canEdit = HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Owner) == true;
        return new DashboardSettingsPage(tenant, form, delivery.Value.MaxBudgetPerMinute, secrets.Contains(SecretNames.WebsiteToken), secrets.Contains(SecretNames.IdentityVerificationSecret), canEdit, message);
    }
}

public sealed record DashboardSettingsForm
{
    public string? DisplayName { get; init; }

    public int RateBudgetPerMinute { get; init; } = TenantSettings.DefaultBudgetPerMinute;

    public bool EventsEnabled { get; init; } = true;

    public bool RelayEnabled { get; init; } = true;

    public bool HelpdeskEnabled { get; init; } = true;

    public bool AutoRepliesEnabled { get; init; }
}

public sealed record DashboardSettingsPage(Tenants.Tenant Website, DashboardSettingsForm Form, int MaxBudgetPerMinute, bool HasWebsiteToken, bool HasIdentitySecret, bool CanEdit, string? Message);
