using IntegrationHub.Security;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Credentials;

/// <summary>
/// Per-tenant secrets: AES-256-GCM under each tenant's data key, with tenant id and secret name bound as associated
/// data — a ciphertext moved to another tenant or another name, or changed by one byte, does not decrypt, and
/// <c>KeyMaintenance.VerifyAsync</c> reports it by tenant and name without the plaintext.
/// </summary>
public abstract class TenantSecretsTests(IHubFixture fixture) : SecretTestBase(fixture)
{
    [Fact]
    public async Task SetThenGet_SameTenant_RoundTripsAndStoresNoPlaintext()
    {
        var (a, _) = await TwoTenantsAsync();

        Assert.Equal(TokenA, await GetAsync(a, SecretNames.SubscriptionToken));
        var (scope, db) = OpenScope(a);
        await using (scope)
        {
            var row = await db.Set<TenantSecret>().SingleAsync(s => s.Name == SecretNames.SubscriptionToken);
            Assert.StartsWith(EnvelopeCipher.VersionPrefix, row.Ciphertext, StringComparison.Ordinal);
            Assert.DoesNotContain(TokenA, row.Ciphertext, StringComparison.Ordinal);
            var key = await db.Set<TenantDataKey>().SingleAsync();
            Assert.DoesNotContain(TokenA, key.WrappedKey, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_CiphertextCopiedFromAnotherTenant_FailsAndVerifyReportsIt()
    {
        var (a, b) = await TwoTenantsAsync();
        await SetCiphertextAsync(b, SecretNames.SubscriptionToken, await CiphertextAsync(a, SecretNames.SubscriptionToken));

        await Assert.ThrowsAsync<SecretDecryptionException>(() => GetAsync(b, SecretNames.SubscriptionToken));
        Assert.Equal(TokenA, await GetAsync(a, SecretNames.SubscriptionToken));

        var failure = Assert.Single((await VerifyAsync()).Failures);
        Assert.Equal((b, SecretNames.SubscriptionToken), (failure.TenantId, failure.SecretName));
        Assert.DoesNotContain(TokenA, failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CiphertextCopiedToAnotherSecretName_Fails()
    {
        var (a, _) = await TwoTenantsAsync();
        await SetAsync(a, SecretNames.WebsiteToken, "{\"identifier\":\"i\",\"key\":\"k\"}");
        await SetCiphertextAsync(a, SecretNames.WebsiteToken, await CiphertextAsync(a, SecretNames.SubscriptionToken));

        await Assert.ThrowsAsync<SecretDecryptionException>(() => GetAsync(a, SecretNames.WebsiteToken));

        var failure = Assert.Single((await VerifyAsync()).Failures);
        Assert.Equal((a, SecretNames.WebsiteToken), (failure.TenantId, failure.SecretName));
    }

    [Fact]
    public async Task Get_DataKeyRowsSwappedBetweenTenants_Fails()
    {
        var (a, b) = await TwoTenantsAsync();
        string wrappedA, wrappedB;
        var (scope, db) = OpenScope();
        await using (scope)
        {
            wrappedA = await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == a).Select(k => k.WrappedKey).SingleAsync();
            wrappedB = await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == b).Select(k => k.WrappedKey).SingleAsync();
            await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == a).ExecuteUpdateAsync(s => s.SetProperty(k => k.WrappedKey, wrappedB));
            await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == b).ExecuteUpdateAsync(s => s.SetProperty(k => k.WrappedKey, wrappedA));
        }

        await Assert.ThrowsAsync<SecretDecryptionException>(() => GetAsync(a, SecretNames.SubscriptionToken));
        await Assert.ThrowsAsync<SecretDecryptionException>(() => GetAsync(b, SecretNames.SubscriptionToken));
        Assert.Equal(2, (await VerifyAsync()).Failures.Count);
    }

    [Theory]
    [InlineData(0)] // nonce
    [InlineData(14)] // ciphertext
    [InlineData(-1)] // tag (last byte)
    public async Task Get_CiphertextWithOneByteChanged_Fails(int position)
    {
        var (a, _) = await TwoTenantsAsync();
        var stored = await CiphertextAsync(a, SecretNames.SubscriptionToken);
        var payload = Convert.FromBase64String(stored[EnvelopeCipher.VersionPrefix.Length..]);
        payload[position < 0 ? payload.Length + position : position] ^= 0x01;
        await SetCiphertextAsync(a, SecretNames.SubscriptionToken, EnvelopeCipher.VersionPrefix + Convert.ToBase64String(payload));

        var error = await Assert.ThrowsAsync<SecretDecryptionException>(() => GetAsync(a, SecretNames.SubscriptionToken));

        Assert.DoesNotContain(TokenA, error.ToString(), StringComparison.Ordinal);
        Assert.Single((await VerifyAsync()).Failures);
    }

    [Fact]
    public async Task Verify_AllIntact_ChecksEverySecretWithoutFailures()
    {
        var (a, _) = await TwoTenantsAsync();
        await SetAsync(a, SecretNames.WebsiteToken, "{\"identifier\":\"i\",\"key\":\"k\"}");

        var result = await VerifyAsync();

        Assert.Equal((2, 3), (result.TenantsChecked, result.SecretsChecked));
        Assert.Empty(result.Failures);
    }
}

public sealed class TenantSecretsTestsOnSqlite(SqliteHubFixture fixture) : TenantSecretsTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class TenantSecretsTestsOnPostgres(PostgresHubFixture fixture) : TenantSecretsTests(fixture);
