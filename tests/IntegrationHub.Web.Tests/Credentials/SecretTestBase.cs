using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Credentials;

/// <summary>Two tenants with known secrets, and the ways to read, tamper with and verify them.</summary>
public abstract class SecretTestBase(IHubFixture fixture) : HubTestBase(fixture)
{
    protected const string TokenA = "subscription-token-of-tenant-a-9f1c";
    protected const string TokenB = "subscription-token-of-tenant-b-44d0";

    protected async Task<(Guid A, Guid B)> TwoTenantsAsync()
    {
        var a = await Data.TenantAsync("Alpha");
        var b = await Data.TenantAsync("Beta");
        await SetAsync(a, SecretNames.SubscriptionToken, TokenA);
        await SetAsync(b, SecretNames.SubscriptionToken, TokenB);
        return (a, b);
    }

    protected async Task SetAsync(Guid tenant, string name, string value)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<TenantSecrets>().SetAsync(name, value, CancellationToken.None);
            await db.SaveChangesAsync();
        }
    }

    protected async Task<string?> GetAsync(Guid tenant, string name)
    {
        var (scope, _) = OpenScope(tenant);
        await using (scope)
        {
            return await scope.ServiceProvider.GetRequiredService<TenantSecrets>().GetAsync(name, CancellationToken.None);
        }
    }

    protected async Task<string> CiphertextAsync(Guid tenant, string name)
    {
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            return await db.Set<TenantSecret>().Where(s => s.Name == name).Select(s => s.Ciphertext).SingleAsync();
        }
    }

    /// <summary>Writes a ciphertext into a row as someone with database access could.</summary>
    protected async Task SetCiphertextAsync(Guid tenant, string name, string ciphertext)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            Assert.Equal(1, await db.Set<TenantSecret>().AcrossTenants()
                .Where(s => s.TenantId == tenant && s.Name == name)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ciphertext, ciphertext)));
        }
    }

    protected async Task<KeyMaintenance.VerificationResult> VerifyAsync()
    {
        await using var scope = Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<KeyMaintenance>().VerifyAsync(CancellationToken.None);
    }
}
