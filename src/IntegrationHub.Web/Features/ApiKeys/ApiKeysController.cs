using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.ApiKeys;

/// <summary>
/// The tenant's API keys: every member sees the list (names and prefixes, never secrets); only Owners create and
/// revoke. A new key's plaintext is rendered once, in the answer to the create post, and stored nowhere.
/// </summary>
[Authorize]
[Route("t/{websiteId}/keys")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class ApiKeysController(HubDbContext db, ApiKeyService keys, AuditLog audit) : Controller
{
    public const int NameMaxLength = 100;

    private string Actor => User.Identity?.Name ?? "unknown";

    private bool CanManage => HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Owner) == true;

    private string RouteWebsite => (string)RouteData.Values[DashboardTenantResolver.RouteKey]!;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? page, CancellationToken cancellationToken) =>
        View(await ListAsync(null, null, cancellationToken, page));

    [HttpPost("")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> Create(string? name, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        // Control characters are refused as by `apikey create`: a name is one field of lists, logs and the audit log.
        if (string.IsNullOrEmpty(name) || name.Length > NameMaxLength || name.Any(char.IsControl))
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            var error = string.IsNullOrEmpty(name) ? "Give the key a name (e.g. the backend that will use it)."
                : name.Any(char.IsControl) ? "No control characters (tabs, line breaks) in a key's name."
                : $"At most {NameMaxLength} characters.";
            return View("Index", await ListAsync(name, error, cancellationToken));
        }

        var issued = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            // The key and its audit entry commit together.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var created = await keys.CreateAsync(name, cancellationToken);
            audit.Record(Actor, "apikey.created", created.Key.Prefix, created.Key.Name);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return created;
        });

        // Shown in this answer only: not in TempData (a cookie), not in a redirect, not cached by the browser.
        Response.Headers.CacheControl = "no-store";
        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        return View("Created", new ApiKeyCreatedModel(website, issued.Key, issued.Plaintext));
    }

    [HttpGet("{id:guid}/revoke")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> ConfirmRevoke(Guid id, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return NotFound();
        }

        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        return View("Revoke", new ApiKeyRevokeModel(website, key));
    }

    [HttpPost("{id:guid}/revoke")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken cancellationToken)
    {
        // Scoped by the query filter: another tenant's key id is simply not found.
        var key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return NotFound();
        }

        if (key.RevokedAt is not null)
        {
            TempData["Message"] = $"Key '{key.Name}' ({key.Prefix}) was already revoked.";
            return Redirect($"/t/{RouteWebsite}/keys");
        }

        // Staged first, so RevokeAsync's SaveChanges commits the revocation and its audit entry together; it then
        // evicts the key from this node's authentication cache (other nodes drop it within Api:Auth:CacheSeconds).
        audit.Record(Actor, "apikey.revoked", key.Prefix, key.Name);
        await keys.RevokeAsync(id, cancellationToken);
        TempData["Message"] = $"Key '{key.Name}' ({key.Prefix}) revoked: it no longer works.";
        return Redirect($"/t/{RouteWebsite}/keys");
    }

    private async Task<ApiKeyListModel> ListAsync(string? name, string? error, CancellationToken cancellationToken, string? page = null)
    {
        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var (list, pager) = await Paging.PageAsync(
            db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id), page, $"/t/{RouteWebsite}/keys", cancellationToken);
        return new ApiKeyListModel(website, list, CanManage, name, error, pager);
    }
}

public sealed record ApiKeyListModel(Tenants.Tenant Website, IReadOnlyList<ApiKey> Keys, bool CanManage, string? Name, string? NameError, Pager Pager);

public sealed record ApiKeyCreatedModel(Tenants.Tenant Website, ApiKey Key, string Plaintext);

public sealed record ApiKeyRevokeModel(Tenants.Tenant Website, ApiKey Key);
