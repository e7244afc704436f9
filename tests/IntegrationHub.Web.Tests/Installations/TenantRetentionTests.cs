using IntegrationHub.Web.Features.ApiKeys;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Web.Tests.Installations;

/// <summary>Uninstalled websites are purged after the retention period; a reinstall within it keeps everything.</summary>
public abstract class TenantRetentionTests(IHubFixture fixture) : HubTestBase(fixture)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Retention_NotConfigured_DefaultsTo30Days() =>
        Assert.Equal(TimeSpan.FromDays(30), Hub.Services.GetRequiredService<IOptions<InstallationOptions>>().Value.Retention);

    [Fact]
    public async Task PurgeExpired_UninstalledPastRetention_DeletesTenantAndEverythingItOwns()
    {
        var expired = await TenantWithDataAsync("Expired");
        var recent = await TenantWithDataAsync("Recent");
        var active = await TenantWithDataAsync("Active");
        await Lifecycle().UninstallAsync(expired, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(20));
        await Lifecycle().UninstallAsync(recent, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));

        var purged = await PurgeAsync(TimeSpan.FromDays(30));

        Assert.Equal(1, purged);
        Assert.Equal(0, await CountOwnedAsync(expired));
        Assert.Equal(6, await CountOwnedAsync(recent));
        Assert.Equal(6, await CountOwnedAsync(active));
    }

    [Fact]
    public async Task PurgeExpired_ReinstalledWithinRetention_KeepsTenantActiveWithItsData()
    {
        var tenant = await TenantWithDataAsync("Acme");
        await Lifecycle().UninstallAsync(tenant, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(InstallationLifecycle.Change.Reinstalled, await Lifecycle().InstallOrUpdateAsync(new CrispInstall(tenant, "token-2", null), CancellationToken.None));
        _clock.Advance(TimeSpan.FromDays(60));

        Assert.Equal(0, await PurgeAsync(TimeSpan.FromDays(30)));
        Assert.Equal(6, await CountOwnedAsync(tenant));
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            Assert.Equal(TenantStatus.Active, (await db.Tenants.SingleAsync()).Status);
        }
    }

    [Fact]
    public async Task PurgeExpired_ShortConfiguredRetention_PurgesSooner()
    {
        var tenant = await TenantWithDataAsync("Acme");
        await Lifecycle().UninstallAsync(tenant, CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal(0, await PurgeAsync(TimeSpan.FromHours(3)));
        Assert.Equal(1, await PurgeAsync(TimeSpan.FromHours(1)));
        Assert.Equal(0, await CountOwnedAsync(tenant));
    }

    [Fact]
    public async Task Purge_ReinstalledAfterItWasFoundExpired_KeepsItAndLogsKeptNotPurged()
    {
        var reinstalled = await TenantWithDataAsync("Acme");
        var gone = await TenantWithDataAsync("Gone");
        await Lifecycle().UninstallAsync(reinstalled, CancellationToken.None);
        await Lifecycle().UninstallAsync(gone, CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(31));
        var cutoff = _clock.GetUtcNow() - TimeSpan.FromDays(30);
        // Both were read as expired; then one website reinstalls the plugin before its delete runs.
        await Lifecycle().InstallOrUpdateAsync(new CrispInstall(reinstalled, "token-2", null), CancellationToken.None);
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);

        var (scope, db) = OpenScope();
        await using (scope)
        {
            var retention = new TenantRetention(db, Options.Create(new InstallationOptions()), _clock, loggers.CreateLogger<TenantRetention>());
            Assert.False(await retention.PurgeAsync(reinstalled, cutoff, CancellationToken.None));
            Assert.True(await retention.PurgeAsync(gone, cutoff, CancellationToken.None));
        }

        Assert.Equal(6, await CountOwnedAsync(reinstalled));
        Assert.Equal(0, await CountOwnedAsync(gone));
        Assert.Equal([$"Website {reinstalled}: kept, reinstalled (or gone) since it was found past retention", $"Website {gone}: data purged after retention"], logs.Entries.Select(e => e.Message));
    }

    private InstallationLifecycle Lifecycle() =>
        new(Hub.Services.GetRequiredService<IServiceScopeFactory>(), _clock, NullLogger<InstallationLifecycle>.Instance);

    private async Task<int> PurgeAsync(TimeSpan retention)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            var retentionJob = new TenantRetention(db, Options.Create(new InstallationOptions { Retention = retention }), _clock, NullLogger<TenantRetention>.Instance);
            return await retentionJob.PurgeExpiredAsync(CancellationToken.None);
        }
    }

    /// <summary>A tenant with an API key, a membership, a secret, its data key and a product event.</summary>
    private async Task<Guid> TenantWithDataAsync(string name)
    {
        var tenant = await Data.TenantAsync(name);
        await Data.ApiKeyAsync(tenant);
        await Data.UserAsync($"owner@{name.ToLowerInvariant()}.example", tenant, TenantRole.Owner);
        var (scope, db) = OpenScope(tenant);
        await using (scope)
        {
            await scope.ServiceProvider.GetRequiredService<TenantSecrets>().SetAsync(SecretNames.SubscriptionToken, "token-" + name, CancellationToken.None);
            db.Add(new ProductEvent
            {
                Id = Guid.CreateVersion7(), TenantId = tenant, Name = "signed_up", Email = "a@b.example", ContentHash = new string('0', 64),
                OccurredAt = _clock.GetUtcNow(), AcceptedAt = _clock.GetUtcNow(), MessageId = "m-" + name,
            });
            await db.SaveChangesAsync();
        }

        return tenant;
    }

    /// <summary>Rows owned by the tenant: itself, API keys, memberships, secrets, data keys, product events (no foreign key: purged explicitly).</summary>
    private async Task<int> CountOwnedAsync(Guid tenant)
    {
        var (scope, db) = OpenScope();
        await using (scope)
        {
            return await db.Tenants.AcrossTenants().CountAsync(t => t.Id == tenant)
                + await db.Set<ApiKey>().AcrossTenants().CountAsync(k => k.TenantId == tenant)
                + await db.Memberships.AcrossTenants().CountAsync(m => m.TenantId == tenant)
                + await db.Set<TenantSecret>().AcrossTenants().CountAsync(s => s.TenantId == tenant)
                + await db.Set<TenantDataKey>().AcrossTenants().CountAsync(k => k.TenantId == tenant)
                + await db.Set<ProductEvent>().AcrossTenants().CountAsync(e => e.TenantId == tenant);
        }
    }
}

public sealed class TenantRetentionTestsOnSqlite(SqliteHubFixture fixture) : TenantRetentionTests(fixture), IClassFixture<SqliteHubFixture>;

[Collection(PostgresCollection.Name)]
public sealed class TenantRetentionTestsOnPostgres(PostgresHubFixture fixture) : TenantRetentionTests(fixture);
