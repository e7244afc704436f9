using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Infrastructure.Crisp;

/// <summary>
/// The demo owner's password is published (README, demo-mode sign-in page). A hub that once ran in demo mode and now
/// runs with real Crisp credentials must not keep an account anyone can sign in to, so start-up locks it out for
/// good, forgets its password, renews its security stamp (its sign-in cookies stop working) and takes away every
/// website and the administrator role it holds. Demo mode gives it its published password back.
/// </summary>
public static class DemoOwnerRetirement
{
    // Identity's "locked out for good"; read back from SQLite it loses sub-millisecond digits, so a year's margin.
    private static readonly DateTimeOffset Forever = DateTimeOffset.MaxValue;

    public static async Task EnsureAsync(HubCrispMode mode, IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        if (mode.IsDemo)
        {
            return;
        }

        var users = services.GetRequiredService<UserManager<HubUser>>();
        var user = await users.FindByEmailAsync(HubCrispMode.DemoOwnerEmail);
        if (user is null)
        {
            return;
        }

        var db = services.GetRequiredService<HubDbContext>();
        var memberships = db.Memberships.AcrossTenants().Where(m => m.UserId == user.Id);
        var roles = await users.GetRolesAsync(user);
        if (IsRetired(user) && roles.Count == 0 && !await memberships.AnyAsync(cancellationToken))
        {
            return;
        }

        var websites = await memberships.ExecuteDeleteAsync(cancellationToken);
        Require(await users.RemoveFromRolesAsync(user, roles));
        if (await users.HasPasswordAsync(user))
        {
            Require(await users.RemovePasswordAsync(user));
        }

        Require(await users.SetLockoutEnabledAsync(user, true));
        Require(await users.SetLockoutEndDateAsync(user, Forever));
        Require(await users.UpdateSecurityStampAsync(user));
        logger.LogWarning("Crisp credentials are configured: the demo owner {Email}, whose password is published, is locked out and removed from {Websites} website(s){Roles}.",
            HubCrispMode.DemoOwnerEmail, websites, roles.Count == 0 ? "" : " and the role(s) " + string.Join(", ", roles));
    }

    /// <summary>Demo mode: a retired demo owner signs in with the published password again.</summary>
    public static async Task RestoreAsync(UserManager<HubUser> users, HubUser user)
    {
        if (!await users.HasPasswordAsync(user))
        {
            Require(await users.AddPasswordAsync(user, HubCrispMode.DemoOwnerPassword));
        }

        if (IsLockedForever(user))
        {
            Require(await users.SetLockoutEndDateAsync(user, null));
        }
    }

    private static bool IsRetired(HubUser user) => user.PasswordHash is null && user.LockoutEnabled && IsLockedForever(user);

    private static bool IsLockedForever(HubUser user) => user.LockoutEnd >= Forever.AddYears(-1);

    private static void Require(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Retiring the demo owner failed: " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
