using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Members;

/// <summary>
/// The tenant's members. Everyone sees the list; Owners invite, change roles and remove. Inviting needs no email
/// server: the owner gets a one-time link to hand over (see <see cref="MemberInvitations"/>). The answer is the same
/// page whether or not the email already had an account: a new account's link lets its holder choose the password;
/// an existing account becomes a member only when its holder accepts the link with that account's password.
/// </summary>
[Authorize]
[Route("t/{websiteId}/members")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class MembersController(HubDbContext db, UserManager<HubUser> users, MemberInvitations invitations, AuditLog audit) : Controller
{
    private static readonly EmailAddressAttribute EmailCheck = new();

    // The pending invitations are paged apart from the members: two tables on one page.
    public const string InvitationsPageParameter = "invitations";

    private string Actor => User.Identity?.Name ?? "unknown";

    private bool CanManage => HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Owner) == true;

    private string RouteWebsite => (string)RouteData.Values[DashboardTenantResolver.RouteKey]!;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? page, string? invitations, CancellationToken cancellationToken) =>
        View(await ListAsync(null, null, null, cancellationToken, page, invitations));

    [HttpPost("")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> Invite(string? email, string? role, CancellationToken cancellationToken)
    {
        email = email?.Trim();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(email) || email.Length > 256 || !EmailCheck.IsValid(email))
        {
            errors["email"] = "Enter the email address of the person to invite.";
        }
        else if (users.Options.User.AllowedUserNameCharacters is { Length: > 0 } allowed && email.Any(ch => !allowed.Contains(ch, StringComparison.Ordinal)))
        {
            // Accounts are named by their email, so no account can have such an address: the same answer whether
            // or not anyone exists, rather than a failure only when the account would be new.
            errors["email"] = "This address has characters the hub does not accept in account names.";
        }

        if (!TryParseRole(role, out var parsedRole))
        {
            errors["role"] = "Choose Viewer, Editor or Owner.";
        }

        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", await ListAsync(new InviteForm(email, role), errors, null, cancellationToken));
        }

        var existing = await users.FindByEmailAsync(email!);
        if (existing is not null && await db.Memberships.AnyAsync(m => m.UserId == existing.Id, cancellationToken))
        {
            // The list already shows every member to the owner: saying so reveals nothing new.
            TempData["Message"] = $"{email} is already a member of this website; change their role in the list.";
            return Redirect($"/t/{RouteWebsite}/members");
        }

        var link = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var invitation = await invitations.InviteAsync(email!, parsedRole, Actor);
            audit.Record(Actor, "member.invited", email, parsedRole.ToString());
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return invitation.Link(Request);
        });

        Response.Headers.CacheControl = "no-store";
        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        return View("Invited", new MemberInvitedModel(website, email!, parsedRole, link));
    }

    [HttpPost("{id:guid}/role")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> ChangeRole(Guid id, string? role, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (membership is null)
        {
            return NotFound();
        }

        if (!TryParseRole(role, out var newRole))
        {
            return await RefuseAsync(StatusCodes.Status422UnprocessableEntity, "Choose Viewer, Editor or Owner.", cancellationToken);
        }

        if (membership.Role == newRole)
        {
            return Redirect($"/t/{RouteWebsite}/members");
        }

        var email = await EmailOfAsync(membership.UserId, cancellationToken);
        var changed = await WithMembersLockedAsync(async () =>
        {
            if (membership.Role == TenantRole.Owner && await IsLastOwnerAsync(membership, cancellationToken))
            {
                return false;
            }

            audit.Record(Actor, "member.role_changed", email, $"{membership.Role} → {newRole}");
            membership.Role = newRole;
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        if (!changed)
        {
            return await RefuseAsync(StatusCodes.Status409Conflict, "The last owner cannot be demoted: make someone else an owner first.", cancellationToken);
        }

        TempData["Message"] = $"{email} is now {newRole}.";
        return Redirect($"/t/{RouteWebsite}/members");
    }

    [HttpGet("{id:guid}/remove")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> ConfirmRemove(Guid id, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (membership is null)
        {
            return NotFound();
        }

        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var row = new MemberRow(membership.Id, await EmailOfAsync(membership.UserId, cancellationToken), membership.Role, membership.CreatedAt);
        return View("Remove", new MemberRemoveModel(website, row));
    }

    [HttpPost("{id:guid}/remove")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> Remove(Guid id, CancellationToken cancellationToken)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (membership is null)
        {
            return NotFound();
        }

        var email = await EmailOfAsync(membership.UserId, cancellationToken);
        var removed = await WithMembersLockedAsync(async () =>
        {
            if (membership.Role == TenantRole.Owner && await IsLastOwnerAsync(membership, cancellationToken))
            {
                return false;
            }

            audit.Record(Actor, "member.removed", email, membership.Role.ToString());
            db.Memberships.Remove(membership);
            db.Set<MemberInvitation>().RemoveRange(await db.Set<MemberInvitation>().Where(i => i.UserId == membership.UserId).ToListAsync(cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }, cancellationToken);
        if (!removed)
        {
            return await RefuseAsync(StatusCodes.Status409Conflict, "The last owner cannot be removed: make someone else an owner first.", cancellationToken);
        }

        TempData["Message"] = $"{email} no longer has access to this website.";
        // Someone who removed themselves can no longer open this website's pages.
        var removedSelf = membership.UserId == User.FindFirstValue(ClaimTypes.NameIdentifier);
        return Redirect(removedSelf ? "/" : $"/t/{RouteWebsite}/members");
    }

    [HttpPost("invitations/{id:guid}/revoke")]
    [RequireTenantRole(TenantRole.Owner)]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken cancellationToken)
    {
        var invitation = await db.Set<MemberInvitation>().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation is null)
        {
            return NotFound();
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            audit.Record(Actor, "member.invitation_revoked", invitation.Email, invitation.Role.ToString());
            await invitations.RevokeAsync(invitation);
            await transaction.CommitAsync(cancellationToken);
        });
        TempData["Message"] = $"The invitation of {invitation.Email} is revoked: its link no longer works.";
        return Redirect($"/t/{RouteWebsite}/members");
    }

    /// <summary>
    /// Runs a change of the website's memberships while no other such change can run: the last-owner check is a read,
    /// and two owners demoting or removing each other at once each read the other as still an owner, leaving the
    /// website with none. Updating the website's row first holds its write lock (a row lock on PostgreSQL and SQL
    /// Server, the database's on SQLite) until the commit, and the check then reads what the other change committed.
    /// </summary>
    private Task<bool> WithMembersLockedAsync(Func<Task<bool>> change, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Tenants.ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, t => t.UpdatedAt), cancellationToken);
            var done = await change();
            await transaction.CommitAsync(cancellationToken);
            return done;
        });

    private Task<bool> IsLastOwnerAsync(TenantMembership membership, CancellationToken cancellationToken) =>
        db.Memberships.AllAsync(m => m.Id == membership.Id || m.Role != TenantRole.Owner, cancellationToken);

    private async Task<string> EmailOfAsync(string userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) ?? userId;

    private async Task<IActionResult> RefuseAsync(int status, string message, CancellationToken cancellationToken)
    {
        Response.StatusCode = status;
        return View("Index", await ListAsync(null, null, message, cancellationToken));
    }

    private async Task<MemberListModel> ListAsync(InviteForm? form, IReadOnlyDictionary<string, string>? errors, string? refusal, CancellationToken cancellationToken,
        string? page = null, string? invitationsPage = null)
    {
        var path = $"/t/{RouteWebsite}/members";
        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var invited = db.Set<MemberInvitation>();
        // An account the invitation created is listed with the invitations until its holder chooses a password, so
        // both kinds of invitation look alike to the owner.
        var (rows, pager) = await Paging.PageAsync(
            (from m in db.Memberships
             join u in db.Users on m.UserId equals u.Id
             where u.PasswordHash != null || !invited.Any(i => i.UserId == m.UserId)
             orderby u.Email, m.Id
             select new MemberRow(m.Id, u.Email ?? u.UserName ?? m.UserId, m.Role, m.CreatedAt))
                .AsNoTracking(),
            page, path, cancellationToken);
        // Pending until its account is a member with a password (taken up by a path that did not clear the row, it
        // is not shown).
        var (pending, invitationsPager) = await Paging.PageAsync(
            (from i in invited
             join u in db.Users on i.UserId equals u.Id
             where u.PasswordHash == null || !db.Memberships.Any(m => m.UserId == i.UserId)
             orderby i.CreatedAt descending, i.Id descending
             select new InvitationRow(i.Id, i.Email, i.Role, i.InvitedBy, i.CreatedAt, i.ExpiresAt))
                .AsNoTracking(),
            invitationsPage, path, cancellationToken, InvitationsPageParameter);
        return new MemberListModel(website, rows, pending, CanManage, form ?? new InviteForm(null, nameof(TenantRole.Viewer)), errors ?? new Dictionary<string, string>(), refusal)
        {
            Pager = pager,
            InvitationsPager = invitationsPager,
        };
    }

    private static bool TryParseRole(string? value, out TenantRole role) =>
        Enum.TryParse(value, ignoreCase: true, out role) && Enum.IsDefined(role) && !int.TryParse(value, out _);
}

public sealed record MemberRow(Guid Id, string Email, TenantRole Role, DateTimeOffset Since);

public sealed record InvitationRow(Guid Id, string Email, TenantRole Role, string InvitedBy, DateTimeOffset Sent, DateTimeOffset Expires);

public sealed record InviteForm(string? Email, string? Role);

public sealed record MemberListModel(Tenants.Tenant Website, IReadOnlyList<MemberRow> Members, IReadOnlyList<InvitationRow> Invitations, bool CanManage, InviteForm Form,
    IReadOnlyDictionary<string, string> Errors, string? Refusal)
{
    public Pager? Pager { get; init; }

    public Pager? InvitationsPager { get; init; }

    public string? Error(string field) => Errors.TryGetValue(field, out var message) ? message : null;
}

public sealed record MemberInvitedModel(Tenants.Tenant Website, string Email, TenantRole Role, string Link);

public sealed record MemberRemoveModel(Tenants.Tenant Website, MemberRow Member);
