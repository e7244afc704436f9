using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Crisp;
using IntegrationHub.Security;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Security;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.CrispSettings;

/// <summary>
/// The page Crisp shows inside its dashboard (an iframe with <c>?website_id=…&amp;token=…</c>). The subscription
/// token is the credential: it is compared in constant time with the website's stored token, and any mismatch,
/// unknown website or uninstalled plugin gets the same 403 page.
/// </summary>
[AllowAnonymous]
[Route("crisp/settings")]
public sealed class CrispSettingsController(
    HubDbContext db,
    TenantContext tenantContext,
    TenantSecrets secrets,
    UserManager<HubUser> users,
    SignInManager<HubUser> signIn,
    MemberInvitations invitations,
    LoginThrottle throttle,
    CrispClient crisp,
    PluginIdentity plugin,
    CrispCallOutbox outbox,
    IOptions<CrispSettingsOptions> options,
    IOptions<DeliveryOptions> delivery,
    TimeProvider clock,
    ILogger<CrispSettingsController> logger) : Controller
{
    public override void OnActionExecuting(ActionExecutingContext context)
    {
        // Crisp frames this page: allow exactly its dashboard as an ancestor, here and nowhere else.
        HttpContext.Items[SecurityHeadersMiddleware.AllowFramingItem] = true;
        // The page carries the subscription token (its URL and the form's hidden field), which opens these settings
        // and links accounts as owners: no browser or proxy cache may keep a copy.
        Response.Headers.CacheControl = "no-store";
        Response.Headers.ContentSecurityPolicy =
            $"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors {options.Value.FrameAncestors}";
        base.OnActionExecuting(context);
    }

    [HttpGet("")]
    public async Task<IActionResult> Show([FromQuery(Name = "website_id")] string? websiteId, [FromQuery] string? token, CancellationToken cancellationToken)
    {
        var tenant = await AuthenticateAsync(websiteId, token, cancellationToken);
        if (tenant is null)
        {
            return Refused();
        }

        var settings = TenantSettings.Parse(tenant.SettingsJson);
        var form = new SettingsForm
        {
            WebsiteId = tenant.WebsiteId,
            Token = token!,
            DisplayName = settings.DisplayName ?? tenant.Name,
            EventsEnabled = settings.Features.Events,
            RelayEnabled = settings.Features.Relay,
            HelpdeskEnabled = settings.Features.Helpdesk,
            AutoRepliesEnabled = settings.Features.AutoReplies,
            RateBudgetPerMinute = delivery.Value.BudgetPerMinute(tenant.SettingsJson),
        };
        return View("Settings", await PageAsync(tenant, form, null, false, cancellationToken));
    }

    // The form is authenticated by the subscription token it carries, not by an ambient cookie, so a forged
    // cross-site post cannot act without knowing the token; and inside Crisp's iframe a SameSite antiforgery
    // cookie would not be sent at all. Hence no antiforgery token here (every cookie-authenticated form has one).
    [HttpPost("")]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Save(SettingsForm? form, CancellationToken cancellationToken)
    {
        if (form is null)
        {
            // A body ASP.NET Core cannot read as a form (a NUL byte in any field, for one) binds no form at all: no
            // token to check either, so the refusal page, as a bad request.
            return Refused(StatusCodes.Status400BadRequest);
        }

        var tenant = await AuthenticateAsync(form.WebsiteId, form.Token, cancellationToken);
        if (tenant is null)
        {
            return Refused();
        }

        var max = delivery.Value.MaxBudgetPerMinute;
        if (form.RateBudgetPerMinute < DeliveryOptions.MinBudgetPerMinute || form.RateBudgetPerMinute > max)
        {
            ModelState.AddModelError(nameof(form.RateBudgetPerMinute), $"Choose between {DeliveryOptions.MinBudgetPerMinute} and {max} calls per minute.");
        }

        if (ModelState.GetFieldValidationState(nameof(form.DisplayName)) != ModelValidationState.Invalid && TenantSettings.DisplayNameError(form.DisplayName) is { } nameError)
        {
            ModelState.AddModelError(nameof(form.DisplayName), nameError);
        }

        var tokenGiven = !string.IsNullOrWhiteSpace(form.WebsiteTokenIdentifier) || !string.IsNullOrWhiteSpace(form.WebsiteTokenKey);
        if (tokenGiven && (string.IsNullOrWhiteSpace(form.WebsiteTokenIdentifier) || string.IsNullOrWhiteSpace(form.WebsiteTokenKey)))
        {
            ModelState.AddModelError(nameof(form.WebsiteTokenKey), "A website token needs both its identifier and its key.");
        }

        if (!ModelState.IsValid)
        {
            // Like every other form of the hub: a refused save is not a 200 (nothing was stored).
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Settings", await PageAsync(tenant, form with { WebsiteTokenKey = null, LinkPassword = null, IdentitySecret = null }, "Nothing was saved: fix the fields marked below.", true, cancellationToken));
        }

        var settings = new TenantSettings
        {
            DisplayName = string.IsNullOrWhiteSpace(form.DisplayName) ? null : form.DisplayName.Trim(),
            RateBudgetPerMinute = delivery.Value.BudgetToStore(tenant.SettingsJson, form.RateBudgetPerMinute),
            Features = new TenantFeatures
            {
                Events = form.EventsEnabled,
                Relay = form.RelayEnabled,
                Helpdesk = form.HelpdeskEnabled,
                AutoReplies = form.AutoRepliesEnabled,
            },
        };
        var merged = settings.MergeInto(tenant.SettingsJson);
        tenant.SettingsJson = merged.ToJsonString();
        tenant.Name = settings.DisplayName ?? tenant.Name;
        tenant.UpdatedAt = clock.GetUtcNow();

        if (form.RemoveWebsiteToken)
        {
            await secrets.RemoveAsync(SecretNames.WebsiteToken, cancellationToken);
        }
        else if (tokenGiven)
        {
            var json = new JsonObject { ["identifier"] = form.WebsiteTokenIdentifier!.Trim(), ["key"] = form.WebsiteTokenKey!.Trim() };
            await secrets.SetAsync(SecretNames.WebsiteToken, json.ToJsonString(), cancellationToken);
        }

        if (form.RemoveIdentitySecret)
        {
            await secrets.RemoveAsync(SecretNames.IdentityVerificationSecret, cancellationToken);
        }
        else if (!string.IsNullOrWhiteSpace(form.IdentitySecret))
        {
            await secrets.SetAsync(SecretNames.IdentityVerificationSecret, form.IdentitySecret.Trim(), cancellationToken);
        }

        (string? Error, string? InvitationLink) link = default;
        if (!string.IsNullOrWhiteSpace(form.LinkEmail))
        {
            link = await LinkAccountAsync(form.LinkEmail.Trim(), form.LinkPassword ?? string.Empty);
        }

        await db.SaveChangesAsync(cancellationToken);
        // The events switch is read by ingestion through a short cache: this node sees the change at once.
        HttpContext.RequestServices.GetRequiredService<Rules.RulePlanCache>().Invalidate(tenant.Id);

        var message = "Settings saved.";
        var isError = false;
        if (await CrispCallOutbox.SettingsWritePendingAsync(db, cancellationToken))
        {
            // An older save is still on its way to Crisp: written directly, this one would land first and the older
            // one after it, undoing it in Crisp (and, through the next sync, here). It queues behind it instead.
            outbox.Enqueue(CrispCallKinds.PluginSettingsUpdate, new { settings = merged });
            await db.SaveChangesAsync(CancellationToken.None);
            message = "Settings saved in the hub; an earlier save is still being written to Crisp, so Crisp's copy is updated through the delivery queue after it.";
        }
        else
        {
            try
            {
                await crisp.Plugin.UpdateSubscriptionSettingsAsync(tenant.WebsiteId, await plugin.GetPluginIdAsync(cancellationToken), merged, cancellationToken);
            }
            catch (CrispException ex)
            {
                // Crisp's copy is the one the syncs read back: left behind, it would undo this save at the next full sync.
                // So the write goes to the delivery queue (retried), and the syncs keep the local copy until it is done.
                logger.LogWarning("Settings of {WebsiteId} saved locally, not yet written back to Crisp (queued): {Reason}", tenant.Id, ex.Message);
                outbox.Enqueue(CrispCallKinds.PluginSettingsUpdate, new { settings = merged });
                await db.SaveChangesAsync(CancellationToken.None);
                message = "Settings saved in the hub; Crisp could not be updated just now, so its copy is updated through the delivery queue.";
            }
        }

        if (link.Error is not null)
        {
            message += " " + link.Error;
            isError = true;
        }

        var page = await PageAsync(tenant, form with { WebsiteTokenIdentifier = null, WebsiteTokenKey = null, LinkPassword = null, LinkEmail = null, RemoveWebsiteToken = false, IdentitySecret = null, RemoveIdentitySecret = false }, message, isError, cancellationToken);
        return View("Settings", page with { InvitationLink = link.InvitationLink, InvitedEmail = link.InvitationLink is null ? null : form.LinkEmail!.Trim() });
    }

    // Same wording whichever part was wrong (unknown email, wrong password, locked out): the page must not confirm
    // who has an account, nor which guess was right while the account is locked.
    private const string NotLinked = "The account was not linked: check the email and password, or try again in a few minutes.";

    private async Task<(string? Error, string? InvitationLink)> LinkAccountAsync(string email, string password)
    {
        // A password check like the sign-in page's, so it gets the same protection: the per-address throttle it
        // shares with sign-in, and the per-account lockout (a correct guess here makes the account an Owner).
        if (throttle.TryAttempt(HttpContext.Connection.RemoteIpAddress) is { } wait)
        {
            return ($"The account was not linked: too many attempts from your network. Try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds.", null);
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            if (users.Options.User.AllowedUserNameCharacters is { Length: > 0 } allowed && email.Any(ch => !allowed.Contains(ch, StringComparison.Ordinal)))
            {
                return ("The account was not linked: the hub does not accept this address's characters in account names.", null);
            }

            // Never an account with a password typed here: nobody has shown the address is theirs. The members page's
            // invitation instead: a passwordless account, Owner here, and a one-time link to choose its password.
            var invitation = await invitations.InviteAsync(email, TenantRole.Owner, "Crisp settings page");
            return (null, invitation.Link(Request));
        }

        if (!(await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true)).Succeeded)
        {
            return (NotLinked, null);
        }

        // Linked here means Owner, whatever the account was before: whoever holds the subscription token administers the
        // website in Crisp, and has just proven the account's password. A Viewer or Editor left as it was would be
        // listed as linked and told the save worked, yet still could not manage keys or members.
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == user.Id);
        if (membership is null)
        {
            db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), UserId = user.Id, Role = TenantRole.Owner, CreatedAt = clock.GetUtcNow() });
        }
        else
        {
            membership.Role = TenantRole.Owner;
        }

        return (null, null);
    }

    private async Task<Tenant?> AuthenticateAsync(string? websiteId, string? token, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(websiteId, out var id) || string.IsNullOrEmpty(token) || token.Length > 500)
        {
            return null;
        }

        var tenant = await db.Tenants.AcrossTenants().FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tenant is null || tenant.Status != TenantStatus.Active)
        {
            return null;
        }

        tenantContext.Use(id);
        string? expected;
        try
        {
            expected = await secrets.GetAsync(SecretNames.SubscriptionToken, cancellationToken);
        }
        catch (Exception ex) when (ex is SecretDecryptionException or KeyEncryptionKeyException)
        {
            // The same 403 page as a wrong token (nothing revealed to the frame); the operator learns it here and from
            // keys verify, and the next sync replaces an unreadable token with Crisp's.
            logger.LogError("Settings page of {WebsiteId} refused: its stored subscription token cannot be read ({Reason}).", id, ex.Message);
            return null;
        }

        if (expected is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(token)))
        {
            return null;
        }

        return tenant;
    }

    private async Task<SettingsPageModel> PageAsync(Tenant tenant, SettingsForm form, string? message, bool isError, CancellationToken cancellationToken)
    {
        var hasToken = await db.Set<TenantSecret>().AnyAsync(s => s.Name == SecretNames.WebsiteToken, cancellationToken);
        var hasIdentitySecret = await db.Set<TenantSecret>().AnyAsync(s => s.Name == SecretNames.IdentityVerificationSecret, cancellationToken);
        var memberIds = await db.Memberships.Select(m => m.UserId).ToListAsync(cancellationToken);
        var emails = await users.Users.Where(u => memberIds.Contains(u.Id)).Select(u => u.Email!).OrderBy(e => e).ToListAsync(cancellationToken);
        return new SettingsPageModel(form, tenant.Name, hasToken, hasIdentitySecret, delivery.Value.MaxBudgetPerMinute, emails, message, isError);
    }

    private ViewResult Refused(int status = StatusCodes.Status403Forbidden)
    {
        Response.StatusCode = status;
        return View("Refused");
    }
}
