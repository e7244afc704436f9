using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Members;

/// <summary>
/// Invitations into the current tenant, from the members page and from Crisp's settings page. The hub sends no
/// email: the link goes to whoever invited, who passes it on, so nothing here ever proves who reads a mailbox.
/// Hence an address that already has an account is never given a website on the inviter's word: its membership
/// waits until someone accepts the link with that account's password (so an account someone else created for the
/// address, with a password of their choosing, cannot collect the invitations its real owner is sent). A new
/// address gets a passwordless account and its membership at once: nobody can sign in as it until the link's
/// holder chooses a password. Every invitation is also a <see cref="MemberInvitation"/> row until it is taken up, so
/// owners see what they sent and can revoke it.
/// </summary>
public sealed class MemberInvitations(
    HubDbContext db, UserManager<HubUser> users, SignInManager<HubUser> signIn, TenantContext tenantContext, TimeProvider clock, IOptions<DataProtectionTokenProviderOptions> tokens)
{
    public sealed record Invitation(string Email, TenantRole Role, string Token, Guid TenantId)
    {
        /// <summary>One shape whether or not the address had an account, so the link tells the inviter nothing.</summary>
        public string Link(HttpRequest request) =>
            $"{request.Scheme}://{request.Host}/account/reset?email={Uri.EscapeDataString(Email)}&token={Uri.EscapeDataString(Token)}&website={TenantId:D}&role={Role}";
    }

    public static string AcceptancePurpose(Guid tenantId, TenantRole role) => $"hub-invitation:{tenantId:D}:{role}";

    /// <summary>Invites <paramref name="email"/> (who is not yet a member) into the current tenant; saving is the caller's.</summary>
    public async Task<Invitation> InviteAsync(string email, TenantRole role, string invitedBy)
    {
        var tenantId = tenantContext.TenantId ?? throw new InvalidOperationException("Inviting needs a tenant.");
        var user = await users.FindByEmailAsync(email);
        if (user is not null)
        {
            // The token is bound to this website and role and to the account's security stamp: accepting (or any
            // password change) makes it useless.
            var acceptance = await users.GenerateUserTokenAsync(user, TokenOptions.DefaultProvider, AcceptancePurpose(tenantId, role));
            await RecordAsync(user, email, role, newAccount: false, invitedBy);
            return new Invitation(email, role, acceptance, tenantId);
        }

        // No password: nobody can sign in as this account until the invitee follows the link and chooses one.
        user = new HubUser { UserName = email, Email = email, EmailConfirmed = false, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Creating the invited account failed: " + string.Join("; ", created.Errors.Select(e => e.Code)));
        }

        db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), UserId = user.Id, Role = role, CreatedAt = clock.GetUtcNow() });
        await RecordAsync(user, email, role, newAccount: true, invitedBy);
        return new Invitation(email, role, await users.GeneratePasswordResetTokenAsync(user), tenantId);
    }

    /// <summary>
    /// Revokes a pending invitation of the current tenant: an existing account's link finds no invitation to accept
    /// any more; an account the invitation created loses the membership it was given and its link (its security
    /// stamp is renewed, and nobody can have signed in with it: it has no password yet).
    /// </summary>
    public async Task RevokeAsync(MemberInvitation invitation)
    {
        db.Set<MemberInvitation>().Remove(invitation);
        var user = await users.FindByIdAsync(invitation.UserId);
        if (invitation.NewAccount && user is not null && !await users.HasPasswordAsync(user))
        {
            var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == user.Id);
            if (membership is not null)
            {
                db.Memberships.Remove(membership);
            }

            await users.UpdateSecurityStampAsync(user);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The invitee chose a password with a new account's link: its invitation into <paramref name="tenantId"/> is taken up.</summary>
    public async Task CompleteAsync(HubUser user, Guid tenantId)
    {
        tenantContext.Use(tenantId);
        await db.Set<MemberInvitation>().Where(i => i.UserId == user.Id && i.NewAccount).ExecuteDeleteAsync();
    }

    private async Task RecordAsync(HubUser user, string email, TenantRole role, bool newAccount, string invitedBy)
    {
        var now = clock.GetUtcNow();
        var invitation = await db.Set<MemberInvitation>().FirstOrDefaultAsync(i => i.UserId == user.Id);
        if (invitation is null)
        {
            invitation = new MemberInvitation { Id = Guid.NewGuid(), UserId = user.Id, Email = email, InvitedBy = invitedBy };
            db.Set<MemberInvitation>().Add(invitation);
        }

        // A new invitation replaces an earlier one: only its role is accepted from now on.
        invitation.Email = email;
        invitation.Role = role;
        invitation.NewAccount = newAccount;
        invitation.InvitedBy = TextCut.Truncate(invitedBy, 256);
        invitation.CreatedAt = now;
        invitation.ExpiresAt = now + tokens.Value.TokenLifespan;
    }

    /// <summary>
    /// Accepts an existing account's invitation: the token must be the one issued for this website and role, and
    /// <paramref name="password"/> the account's own (checked with the sign-in lockout). False when either fails.
    /// </summary>
    public async Task<bool> AcceptAsync(HubUser user, string token, Guid tenantId, TenantRole role, string password)
    {
        if (!await users.VerifyUserTokenAsync(user, TokenOptions.DefaultProvider, AcceptancePurpose(tenantId, role), token))
        {
            return false;
        }

        // A revoked (or replaced) invitation's link is refused even while its token is still valid.
        tenantContext.Use(tenantId);
        var invitation = await db.Set<MemberInvitation>().FirstOrDefaultAsync(i => i.UserId == user.Id && i.Role == role);
        if (invitation is null)
        {
            return false;
        }

        // A passwordless account takes the password chosen here only while it belongs to no website. One created by
        // another website's invitation is already that website's member: whoever holds this link (an owner of any
        // website can invite the address and use the link) would otherwise choose its password and sign in there.
        // Its holder sets the password with that first link, then accepts this one with it. Changing the password
        // renews the security stamp, so the earlier links stop working.
        var proven = await users.HasPasswordAsync(user)
            ? (await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true)).Succeeded
            : !await db.Memberships.AcrossTenants().AnyAsync(m => m.UserId == user.Id) && (await users.AddPasswordAsync(user, password)).Succeeded;
        if (!proven)
        {
            return false;
        }

        if (!await db.Memberships.AnyAsync(m => m.UserId == user.Id))
        {
            db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), UserId = user.Id, Role = role, CreatedAt = clock.GetUtcNow() });
        }

        db.Set<MemberInvitation>().Remove(invitation);
        await db.SaveChangesAsync();

        // The link works once.
        await users.UpdateSecurityStampAsync(user);
        return true;
    }
}
