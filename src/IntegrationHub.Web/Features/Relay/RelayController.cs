using Hangfire;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Relay;

/// <summary>Relay in the dashboard: endpoints (add, delete, rotate, switch on/off), recent deliveries and replay. Viewers read.</summary>
[Authorize]
[Route("t/{websiteId}/relay")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class RelayController(RelayService relay, HubDbContext db, IBackgroundJobClient jobs, IOptions<RelayOptions> options, Audit.AuditLog audit) : Controller
{
    private string Actor => User.Identity?.Name ?? "unknown";

    private async Task AuditAsync(string action, Guid target, string? details, CancellationToken cancellationToken)
    {
        audit.Record(Actor, action, target.ToString("D"), details);
        await db.SaveChangesAsync(cancellationToken);
    }

    private bool CanEdit => HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Editor) == true;

    private string RouteWebsite => (string)RouteData.Values[DashboardTenantResolver.RouteKey]!;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) => View("Index", await ModelAsync(null, null, null, cancellationToken));

    [HttpPost("")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Create(string? url, string? events, CancellationToken cancellationToken)
    {
        var list = (events ?? "").Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = relay.Validate(url, list);
        if (errors.Count == 0 && await relay.CountAsync(cancellationToken) >= options.Value.MaxEndpointsPerTenant)
        {
            errors["url"] = [$"At most {options.Value.MaxEndpointsPerTenant} endpoints per website."];
        }

        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            // What was typed comes back, so fixing the URL does not quietly reset the events to the default.
            return View("Index", await ModelAsync(null, null, errors.SelectMany(e => e.Value).ToList(), cancellationToken) with { FormUrl = url, FormEvents = events ?? "" });
        }

        var created = await relay.CreateAsync(url!, list, cancellationToken);
        await AuditAsync("relay.endpoint.created", created.Endpoint.Id, created.Endpoint.Url, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return View("Index", await ModelAsync(created.Endpoint.Id, created.Secret, null, cancellationToken));
    }

    [HttpPost("{id:guid}/rotate-secret")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Rotate(Guid id, CancellationToken cancellationToken)
    {
        var secret = await relay.RotateSecretAsync(id, cancellationToken);
        if (secret is null)
        {
            return NotFound();
        }

        await AuditAsync("relay.endpoint.secret_rotated", id, null, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return View("Index", await ModelAsync(id, secret, null, cancellationToken));
    }

    [HttpPost("{id:guid}/delete")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        if (!await relay.DeleteAsync(id, cancellationToken))
        {
            return NotFound();
        }

        await AuditAsync("relay.endpoint.deleted", id, null, cancellationToken);
        TempData["Message"] = "Endpoint deleted.";
        return Redirect($"/t/{RouteWebsite}/relay");
    }

    [HttpPost("{id:guid}/enabled")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> SetEnabled(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        if (await relay.SetEnabledAsync(id, enabled, Actor, cancellationToken) is null)
        {
            return NotFound();
        }

        TempData["Message"] = enabled ? "Endpoint enabled." : "Endpoint disabled.";
        return Redirect($"/t/{RouteWebsite}/relay");
    }

    [HttpGet("deliveries/{id:guid}")]
    public async Task<IActionResult> Delivery(Guid id, CancellationToken cancellationToken)
    {
        if (await relay.DeliveryAsync(id, cancellationToken) is not { } delivery)
        {
            return NotFound();
        }

        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var endpoint = await relay.FindAsync(delivery.EndpointId, cancellationToken);
        // The delivery a replay points back to may have been purged after Relay:Retention: no link to a 404 then.
        var originalKept = delivery.ReplayOfId is not { } original || await relay.DeliveryAsync(original, cancellationToken) is not null;
        return View("Delivery", new RelayDeliveryPageModel(website, delivery, endpoint?.Url, await relay.AttemptsAsync(id, cancellationToken), CanEdit, originalKept));
    }

    [HttpPost("deliveries/{id:guid}/replay")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> Replay(Guid id, CancellationToken cancellationToken)
    {
        RelayDelivery? replay;
        try
        {
            replay = await relay.ReplayAsync(id, cancellationToken);
        }
        catch (ReplayRefusedException refused)
        {
            TempData["Message"] = "Not replayed. " + refused.Message;
            return Redirect($"/t/{RouteWebsite}/relay");
        }

        if (replay is null)
        {
            return NotFound();
        }

        await AuditAsync("relay.delivery.replayed", id, replay.WebhookId, cancellationToken);

        jobs.Enqueue<RelaySender>(s => s.DrainAsync(CancellationToken.None));
        TempData["Message"] = "Delivery queued again.";
        return Redirect($"/t/{RouteWebsite}/relay");
    }

    private async Task<RelayPageModel> ModelAsync(Guid? secretFor, string? secret, IReadOnlyList<string>? errors, CancellationToken cancellationToken) =>
        new(await db.Tenants.AsNoTracking().SingleAsync(cancellationToken),
            await relay.ListAsync(cancellationToken),
            await relay.DeliveriesAsync(null, 50, cancellationToken),
            CanEdit, secretFor, secret, errors ?? []);
}

public sealed record RelayPageModel(Tenants.Tenant Website, IReadOnlyList<RelayEndpoint> Endpoints, IReadOnlyList<RelayDelivery> Deliveries, bool CanEdit, Guid? SecretFor, string? Secret, IReadOnlyList<string> Errors)
{
    /// <summary>The add-endpoint form's fields: empty and the default filter, or what a refused submission held.</summary>
    public string? FormUrl { get; init; }

    public string FormEvents { get; init; } = "message:*";
}

/// <summary>The delivery page; <c>ReplayOfKept</c> is false when the delivery this one replays was purged after the relay's retention.</summary>
public sealed record RelayDeliveryPageModel(Tenants.Tenant Website, RelayDelivery Delivery, string? EndpointUrl, IReadOnlyList<RelayDeliveryAttempt> Attempts, bool CanEdit, bool ReplayOfKept = true);
