using System.Net;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Installations;

/// <summary>
/// One website's stored subscription token that cannot be decrypted (tampered, or a ciphertext copied from another
/// field): the full sync threw at it, so websites after it were never installed and no sync was recorded, and its
/// settings page answered 500. Crisp's copy is the truth: the sync replaces it; the page refuses like a wrong token.
/// </summary>
public abstract class UnreadableSubscriptionTokenTests(LiveHubFixture live) : LiveHubTestBase(live)
{
    [Fact]
    public async Task FullSync_OneStoredTokenUnreadable_ReplacedWithCrispsAndTheOtherWebsitesSynced()
    {
        await Simulator.SetHookTargetAsync(null);
        var damaged = Simulator.Install("Damaged");
        var damagedId = Guid.Parse(damaged.WebsiteId);
        await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));
        await DamageStoredTokenAsync(damagedId);
        var later = Enumerable.Range(1, 3).Select(i => Simulator.Install($"Later {i}")).ToList();

        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));

        Assert.Equal(new InstallationSync.Result(4, 3, 1, 0), result);
        Assert.Equal(damaged.SubscriptionToken, await SubscriptionTokenAsync(damagedId));
        foreach (var website in later)
        {
            Assert.Equal(TenantStatus.Active, (await Live.FindTenantAsync(Guid.Parse(website.WebsiteId)))!.Status);
        }
    }

    [Fact]
    public async Task SettingsPage_StoredTokenUnreadable_403LikeAWrongToken()
    {
        var website = Simulator.Install("Damaged");
        var id = Guid.Parse(website.WebsiteId);
        await Live.WaitForTenantAsync(id);
        await DamageStoredTokenAsync(id);

        var response = await Live.CreateClient().GetAsync($"/crisp/settings?website_id={id:D}&token={Uri.EscapeDataString(website.SubscriptionToken)}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>Puts the ciphertext of another field (same tenant, same data key) in the token's row: it fails to authenticate.</summary>
    private async Task DamageStoredTokenAsync(Guid websiteId)
    {
        var (scope, db) = Live.OpenScope(websiteId);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<TenantSecrets>().SetAsync("some.other.field", "not the token", CancellationToken.None);
            await db.SaveChangesAsync();
            var other = await db.Set<TenantSecret>().AsNoTracking().SingleAsync(s => s.Name == "some.other.field");
            var token = await db.Set<TenantSecret>().SingleAsync(s => s.Name == SecretNames.SubscriptionToken);
            token.Ciphertext = other.Ciphertext;
            await db.SaveChangesAsync();
        }
    }

    private async Task<string?> SubscriptionTokenAsync(Guid websiteId)
    {
        var (scope, _) = Live.OpenScope(websiteId);
        await using (scope)
        {
            return await scope.ServiceProvider.GetRequiredService<TenantSecrets>().GetAsync(SecretNames.SubscriptionToken, CancellationToken.None);
        }
    }
}

public sealed class UnreadableSubscriptionTokenTestsOnSqlite(LiveHubFixture live) : UnreadableSubscriptionTokenTests(live), IClassFixture<LiveHubFixture>;

public sealed class UnreadableSubscriptionTokenTestsOnPostgres(LivePostgresHubFixture live) : UnreadableSubscriptionTokenTests(live), IClassFixture<LivePostgresHubFixture>;
