using IntegrationHub.Security;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Infrastructure.Cli;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Credentials;

/// <summary>
/// <c>keys rotate</c> and <c>keys verify</c> run in-process (HubCommandLine.RunAsync) on the same database and key
/// ring as the running hub, the way an operator runs them next to a live server.
/// </summary>
public abstract class KeyRotationCommandTests(IHubFixture fixture) : SecretTestBase(fixture)
{
    [Fact]
    public async Task RotateThenVerify_StoredSecrets_RewrapsEveryDataKeyAndAllStillDecrypt()
    {
        var (a, b) = await TwoTenantsAsync();
        var before = await KekIdsAsync();

        var rotate = await RunAsync("keys", "rotate");
        var verify = await RunAsync("keys", "verify");

        Assert.Equal(0, rotate.Code);
        var current = CurrentKekId(rotate.Output);
        Assert.Contains("(new): 2 data keys re-wrapped, 0 already current", rotate.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(current, before);
        Assert.All(await KekIdsAsync(), id => Assert.Equal(current, id));
        Assert.Equal(0, verify.Code);
        Assert.Contains("2 secrets of 2 tenants checked, 0 failed.", verify.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, verify.Error);
        // The running hub reads them too: it finds the new key in the shared key ring.
        Assert.Equal(TokenA, await GetAsync(a, SecretNames.SubscriptionToken));
        Assert.Equal(TokenB, await GetAsync(b, SecretNames.SubscriptionToken));
    }

    [Fact]
    public async Task Rotate_Twice_EachRunMovesToANewKeyAndVerifyStillSucceeds()
    {
        var (a, _) = await TwoTenantsAsync();

        var first = await RunAsync("keys", "rotate");
        var second = await RunAsync("keys", "rotate");

        Assert.Equal((0, 0), (first.Code, second.Code));
        Assert.NotEqual(CurrentKekId(first.Output), CurrentKekId(second.Output));
        Assert.All(await KekIdsAsync(), id => Assert.Equal(CurrentKekId(second.Output), id));
        Assert.Equal(0, (await RunAsync("keys", "verify")).Code);
        Assert.Equal(TokenA, await GetAsync(a, SecretNames.SubscriptionToken));
    }

    [Fact]
    public async Task Rotate_AfterInterruptedRun_ResumesWithoutCreatingAnotherKey()
    {
        var (a, _) = await TwoTenantsAsync();
        // An interrupted run: the ring already has the new current key, one data key was re-wrapped, one was not.
        await using (var scope = Hub.Services.CreateAsyncScope())
        {
            var kek = (LocalKeyEncryptionKeyProvider)scope.ServiceProvider.GetRequiredService<IKeyEncryptionKeyProvider>();
            await kek.RotateAsync();
            var db = scope.ServiceProvider.GetRequiredService<IntegrationHub.Web.Infrastructure.Data.HubDbContext>();
            var row = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().SingleAsync(k => k.TenantId == a);
            var rewrapped = await kek.RewrapAsync(WrappedKey.Parse(row.WrappedKey));
            await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == a)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.WrappedKey, rewrapped.Format()).SetProperty(k => k.KekId, rewrapped.KeyId));
        }

        var resumed = await RunAsync("keys", "rotate");

        Assert.Equal(0, resumed.Code);
        Assert.DoesNotContain("(new)", resumed.Output, StringComparison.Ordinal);
        Assert.Contains("1 data keys re-wrapped, 1 already current", resumed.Output, StringComparison.Ordinal);
        Assert.Single((await KekIdsAsync()).Distinct());
        Assert.Equal(0, (await RunAsync("keys", "verify")).Code);
    }

    [Fact]
    public async Task Rotate_OneDataKeyUnreadable_RewrapsTheOthersNamesItAndExits1()
    {
        var (a, b) = await TwoTenantsAsync();
        // An interrupted rotation (a new current key, no data key re-wrapped yet) where b's data key is wrapped under
        // a key-encryption key the ring does not have (a lost or foreign key file).
        var (scope, db) = OpenScope();
        await using (scope)
        {
            await ((LocalKeyEncryptionKeyProvider)scope.ServiceProvider.GetRequiredService<IKeyEncryptionKeyProvider>()).RotateAsync();
            var row = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().SingleAsync(k => k.TenantId == b);
            var wrapped = WrappedKey.Parse(row.WrappedKey);
            var foreign = new WrappedKey(wrapped.ProviderName, "19990101T000000Z-00000000", wrapped.Ciphertext.Span);
            await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == b)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.WrappedKey, foreign.Format()).SetProperty(k => k.KekId, foreign.KeyId));
        }

        var rotate = await RunAsync("keys", "rotate");

        Assert.Equal(1, rotate.Code);
        Assert.Contains("1 data keys re-wrapped, 0 already current, 1 failed.", rotate.Output, StringComparison.Ordinal);
        Assert.Contains($"FAILED {b:D}: KeyEncryptionKeyException", rotate.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(a.ToString("D"), rotate.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", rotate.Output + rotate.Error, StringComparison.Ordinal);
        Assert.Equal(TokenA, await GetAsync(a, SecretNames.SubscriptionToken));
    }

    [Fact]
    public async Task Rotate_OneDataKeyUnreadable_LaterRunStillStartsAFreshRotationForTheOthers()
    {
        var (a, b) = await TwoTenantsAsync();
        await WrapUnderForeignKeyAsync(b);

        // Nothing to resume but the unreadable key: the operator's rotation must not wait for it.
        var rotate = await RunAsync("keys", "rotate");

        Assert.Equal(1, rotate.Code);
        Assert.Contains("(new): 1 data keys re-wrapped, 0 already current, 1 failed.", rotate.Output, StringComparison.Ordinal);
        Assert.Single(rotate.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith($"FAILED {b:D}: KeyEncryptionKeyException", StringComparison.Ordinal));
        Assert.Contains(CurrentKekId(rotate.Output), await KekIdsAsync());
        Assert.Equal(TokenA, await GetAsync(a, SecretNames.SubscriptionToken));
    }

    [Fact]
    public async Task Verify_DataKeyUnreadable_IsOneFailureEvenForATenantWithoutSecrets()
    {
        var (a, b) = await TwoTenantsAsync();
        await SetAsync(b, SecretNames.WebsiteToken, "second-secret-of-b");
        var c = await Data.TenantAsync("Gamma");
        await SetAsync(c, SecretNames.SubscriptionToken, "secret-of-c-that-is-deleted");
        var (scope, db) = OpenScope();
        await using (scope)
        {
            await db.Set<TenantSecret>().AcrossTenants().Where(s => s.TenantId == c).ExecuteDeleteAsync();
        }

        await WrapUnderForeignKeyAsync(b);
        await WrapUnderForeignKeyAsync(c);

        var verify = await RunAsync("keys", "verify");

        Assert.Equal(1, verify.Code);
        Assert.Contains("3 secrets of 3 tenants checked, 2 failed.", verify.Output, StringComparison.Ordinal);
        var failures = verify.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, failures.Length);
        Assert.Contains(failures, line => line.StartsWith($"FAILED {b:D} {KeyMaintenance.DataKeyName}: KeyEncryptionKeyException", StringComparison.Ordinal));
        Assert.Contains(failures, line => line.StartsWith($"FAILED {c:D} {KeyMaintenance.DataKeyName}: KeyEncryptionKeyException", StringComparison.Ordinal));
        Assert.DoesNotContain(a.ToString("D"), verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyVerb_KeyRingFileMissingWhileDataKeysExist_RefusesAndCreatesNoNewRing()
    {
        var (a, _) = await TwoTenantsAsync();
        var lost = Path.Combine(Path.GetTempPath(), "hub-lost-ring-" + Guid.NewGuid().ToString("N"), "kek.json");

        foreach (var verb in new[] { new[] { "keys", "rotate" }, ["keys", "verify"], ["tenant", "list"] })
        {
            var run = await RunAsync(new Dictionary<string, string?> { ["KeyManagement:Local:KeyPath"] = lost }, verb);

            Assert.Equal(1, run.Code);
            Assert.Contains($"The local key ring '{lost}' does not exist, but 2 tenant data keys", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(lost));
        Assert.Equal(TokenA, await GetAsync(a, SecretNames.SubscriptionToken));
    }

    [Fact]
    public async Task Verify_TamperedRow_Exits1NamingTenantAndSecretButNoPlaintext()
    {
        var (a, b) = await TwoTenantsAsync();
        await SetCiphertextAsync(b, SecretNames.SubscriptionToken, await CiphertextAsync(a, SecretNames.SubscriptionToken));

        var verify = await RunAsync("keys", "verify");

        Assert.Equal(1, verify.Code);
        Assert.Contains($"FAILED {b:D} {SecretNames.SubscriptionToken}", verify.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(a.ToString("D"), verify.Error, StringComparison.Ordinal);
        Assert.Contains("2 secrets of 2 tenants checked, 1 failed.", verify.Output, StringComparison.Ordinal);
        foreach (var plaintext in new[] { TokenA, TokenB })
        {
            Assert.DoesNotContain(plaintext, verify.Output + verify.Error, StringComparison.Ordinal);
        }
    }

    /// <summary>Leaves the tenant's data key wrapped under a key-encryption key the ring does not have (a lost or foreign key file).</summary>
    private async Task WrapUnderForeignKeyAsync(Guid tenant)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            var row = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().SingleAsync(k => k.TenantId == tenant);
            var wrapped = WrappedKey.Parse(row.WrappedKey);
            var foreign = new WrappedKey(wrapped.ProviderName, "19990101T000000Z-00000000", wrapped.Ciphertext.Span);
            await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == tenant)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.WrappedKey, foreign.Format()).SetProperty(k => k.KekId, foreign.KeyId));
        }
    }

    private static string CurrentKekId(string rotateOutput)
    {
        // "Key-encryption key {id} (new): …"
        const string Lead = "Key-encryption key ";
        var start = rotateOutput.IndexOf(Lead, StringComparison.Ordinal) + Lead.Length;
        var end = rotateOutput.IndexOfAny([' ', ':'], start);
        return rotateOutput[start..end];
    }

    private async Task<List<string>> KekIdsAsync()
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return await db.Set<TenantDataKey>().AcrossTenants().Select(k => k.KekId).ToListAsync();
        }
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    private async Task<(int Code, string Output, string Error)> RunAsync(Dictionary<string, string?> extra, params string[] args)
    {
        var configuration = Hub.Services.GetRequiredService<IConfiguration>();
        var overrides = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Hub.Provider.ToString(),
            ["ConnectionStrings:Hub"] = Hub.ConnectionString,
            ["Hub:DataDirectory"] = configuration["Hub:DataDirectory"],
            ["Crisp:PluginIdentifier"] = configuration["Crisp:PluginIdentifier"],
            ["Crisp:PluginKey"] = configuration["Crisp:PluginKey"],
            ["Crisp:BaseUrl"] = configuration["Crisp:BaseUrl"],
        };
        foreach (var (key, value) in extra)
        {
            overrides[key] = value;
        }

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HubCommandLine.RunAsync(args, output, error, overrides);
        return (code, output.ToString(), error.ToString());
    }
}

public sealed class KeyRotationCommandTestsOnSqlite(SqliteHubFixture fixture) : KeyRotationCommandTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class KeyRotationCommandTestsOnPostgres(PostgresHubFixture fixture) : KeyRotationCommandTests(fixture);
