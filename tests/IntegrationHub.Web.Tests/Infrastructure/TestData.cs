using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>Builds test data through the hub's own services, so the same rules (tenant checks, hashing) apply.</summary>
public sealed class TestData(IServiceProvider services)
{
    public const string Password = "Correct-Horse-42";

    public async Task<Guid> TenantAsync(string name = "Acme", Guid? websiteId = null)
    {
        await using var scope = services.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<TenantDirectory>()
            .AddManualAsync(websiteId ?? Guid.NewGuid(), name, $"{name.ToLowerInvariant()}.example", CancellationToken.None);
        return tenant.Id;
    }

    public async Task<string> UserAsync(string email, Guid? tenantId = null, TenantRole role = TenantRole.Owner)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        var user = new HubUser { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTimeOffset.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        if (tenantId is { } id)
        {
            await MembershipAsync(id, user.Id, role);
        }

        return user.Id;
    }

    public async Task MembershipAsync(Guid tenantId, string userId, TenantRole role)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        db.Memberships.Add(new TenantMembership { Id = Guid.NewGuid(), UserId = userId, Role = role, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    public async Task<string> AdministratorAsync(string email = "admin@hub.example")
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<HubAdministratorBootstrapper>().EnsureAdministratorAsync(email, Password);
        Assert.True(result.Succeeded);
        return email;
    }

    public async Task<ApiKeyService.IssuedKey> ApiKeyAsync(Guid tenantId, string name = "backend")
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(name, CancellationToken.None);
    }

    public async Task SetStatusAsync(Guid tenantId, TenantStatus status)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(tenantId);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var tenant = await db.Tenants.SingleAsync();
        tenant.Status = status;
        await db.SaveChangesAsync();
    }
}
