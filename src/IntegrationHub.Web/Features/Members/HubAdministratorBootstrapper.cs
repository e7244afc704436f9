using Microsoft.AspNetCore.Identity;

namespace IntegrationHub.Web.Features.Members;

/// <summary>Creates (or promotes) a hub administrator: used by the CLI verb and by start-up configuration.</summary>
public sealed class HubAdministratorBootstrapper(UserManager<HubUser> users, RoleManager<IdentityRole> roles, TimeProvider clock)
{
    public async Task<IdentityResult> EnsureAdministratorAsync(string email, string password)
    {
        if (!await roles.RoleExistsAsync(HubRoles.Administrator))
        {
            var roleResult = await roles.CreateAsync(new IdentityRole(HubRoles.Administrator));
            if (!roleResult.Succeeded)
            {
                return roleResult;
            }
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new HubUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return created;
            }
        }

        return await users.IsInRoleAsync(user, HubRoles.Administrator)
            ? IdentityResult.Success
            : await users.AddToRoleAsync(user, HubRoles.Administrator);
    }
}
