using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using IntegrationHub.Web.Features.Hooks;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Web.Tests.Installations;

/// <summary>Install, uninstall and reinstall as Crisp (the simulator) drives them, through hooks and syncs.</summary>
public abstract class InstallationLifecycleTests(LiveHubFixture live) : LiveHubTestBase(live)
{
    [Fact]
    public async Task InstallHook_NewWebsite_TenantActiveWithEncryptedSubscriptionToken()
    {
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);

        var tenant = await Live.WaitForTenantAsync(id);

        Assert.Equal(TenantSource.Crisp, tenant.Source);
        Assert.Null(tenant.UninstalledAt);
        Assert.Equal(website.SubscriptionToken, await SubscriptionTokenAsync(id));
        var (scope, db) = Live.OpenScope(id);
        await using (scope)
        {
            var stored = await db.Set<TenantSecret>().SingleAsync(s => s.Name == SecretNames.SubscriptionToken);
            Assert.DoesNotContain(website.SubscriptionToken, stored.Ciphertext, StringComparison.Ordinal);
            Assert.True(await db.Set<TenantDataKey>().AnyAsync());
        }
    }

    [Fact]
    public async Task FullSync_AfterHookInstall_ConvergesOnSameRowAndChangesNothing()
    {
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);
        var before = await Live.WaitForTenantAsync(id);
        var secretBefore = await SecretRowAsync(id);

        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));

        Assert.Equal(new InstallationSync.Result(1, 0, 0, 0), result);
        AssertSameRow(before, await Live.FindTenantAsync(id));
        Assert.Equal(secretBefore, await SecretRowAsync(id));
    }

    [Fact]
    public async Task FullSync_WebsitesWithoutHooks_CreatesTenantsAndSecondRunChangesNothing()
    {
        await Simulator.SetHookTargetAsync(null);
        var websites = Enumerable.Range(1, 23).Select(i => Simulator.Install($"Shop {i}")).ToList(); // more than one page of 20

        var first = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));
        var rows = await AllTenantsAsync();
        var second = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));

        Assert.Equal(new InstallationSync.Result(23, 23, 0, 0), first);
        Assert.Equal(new InstallationSync.Result(23, 0, 0, 0), second);
        // Remembered, so demo mode over this database (credentials lost in a redeploy) is refused: DemoModeGuard.
        var (stateScope, stateDb) = Live.OpenScope();
        await using (stateScope)
        {
            Assert.Equal(Simulator.ApiBaseUrl.ToString(), (await stateDb.Set<PluginSyncState>().AsNoTracking().SingleAsync()).CrispBaseUrl);
        }

        var after = await AllTenantsAsync();
        Assert.Equal(23, after.Count);
        foreach (var row in rows)
        {
            AssertSameRow(row, after.Single(t => t.Id == row.Id));
        }

        foreach (var website in websites)
        {
            Assert.Equal(website.SubscriptionToken, await SubscriptionTokenAsync(Guid.Parse(website.WebsiteId)));
        }
    }

    [Fact]
    public async Task FullSync_WebsiteNoLongerListed_UninstallsItButKeepsManualTenants()
    {
        await Simulator.SetHookTargetAsync(null);
        var kept = Simulator.Install("Kept");
        var gone = Simulator.Install("Gone");
        var manual = await Data.TenantAsync("Manual");
        await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));
        Simulator.Commands.UninstallWebsite(gone.WebsiteId);

        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));

        Assert.Equal(new InstallationSync.Result(1, 0, 0, 1), result);
        Assert.Equal(TenantStatus.Active, (await Live.FindTenantAsync(Guid.Parse(kept.WebsiteId)))!.Status);
        Assert.Equal(TenantStatus.Uninstalled, (await Live.FindTenantAsync(Guid.Parse(gone.WebsiteId)))!.Status);
        var manualRow = await Live.FindTenantAsync(manual);
        Assert.Equal(TenantStatus.Active, manualRow!.Status);
        Assert.Equal(TenantSource.Manual, manualRow.Source);
    }

    [Fact]
    public async Task CatchUpSync_ChangesSinceLastSync_InstallsUpdatesAndUninstalls()
    {
        await Simulator.SetHookTargetAsync(null);
        var staying = Simulator.Install("Staying");
        var leaving = Simulator.Install("Leaving");
        await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));
        var arriving = Simulator.Install("Arriving");
        Simulator.Commands.UninstallWebsite(leaving.WebsiteId);
        Simulator.Commands.SaveSettings(staying.WebsiteId, new System.Text.Json.Nodes.JsonObject { ["rate_budget_per_minute"] = 42 });
        Simulator.State.ClearJournal();

        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.CatchUpAsync(CancellationToken.None));

        Assert.Equal(new InstallationSync.Result(3, 1, 1, 1), result);
        Assert.Contains(Simulator.State.GetJournal(), e => e.Path.Contains("websites/since", StringComparison.Ordinal) && e.Query.Contains("date_since", StringComparison.Ordinal));
        Assert.DoesNotContain(Simulator.State.GetJournal(), e => e.Path.Contains("websites/all", StringComparison.Ordinal));
        Assert.Equal(TenantStatus.Active, (await Live.FindTenantAsync(Guid.Parse(arriving.WebsiteId)))!.Status);
        Assert.Equal(arriving.SubscriptionToken, await SubscriptionTokenAsync(Guid.Parse(arriving.WebsiteId)));
        Assert.Equal(TenantStatus.Uninstalled, (await Live.FindTenantAsync(Guid.Parse(leaving.WebsiteId)))!.Status);
        Assert.Contains("42", (await Live.FindTenantAsync(Guid.Parse(staying.WebsiteId)))!.SettingsJson, StringComparison.Ordinal);

        var again = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.CatchUpAsync(CancellationToken.None));
        Assert.Equal(0, again.Installed + again.Updated + again.Uninstalled);
    }

    [Fact]
    public async Task CatchUpSync_UnknownDifferenceWords_SettledByAskingCrisp()
    {
        // The words of "difference" are unverified: a removal Crisp names otherwise must not reinstall the website,
        // an install named otherwise must still install it.
        await Simulator.SetHookTargetAsync(null);
        var leaving = Simulator.Install("Leaving");
        await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));
        Simulator.Commands.UninstallWebsite(leaving.WebsiteId);
        var arriving = Simulator.Install("Arriving");
        Simulator.Intercept(async context =>
        {
            if (!context.Request.Path.Value!.EndsWith("/websites/since", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""
                {"error":false,"reason":"listed","data":[
                  {"website_id":"{{leaving.WebsiteId}}","token":"{{leaving.SubscriptionToken}}","settings":{},"difference":"unbound"},
                  {"website_id":"{{arriving.WebsiteId}}","difference":"subscribed"}]}
                """);
            return true;
        });

        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.CatchUpAsync(CancellationToken.None));

        Assert.Equal((1, 1), (result.Installed, result.Uninstalled));
        Assert.Equal(TenantStatus.Uninstalled, (await Live.FindTenantAsync(Guid.Parse(leaving.WebsiteId)))!.Status);
        Assert.Equal(TenantStatus.Active, (await Live.FindTenantAsync(Guid.Parse(arriving.WebsiteId)))!.Status);
        Assert.Equal(arriving.SubscriptionToken, await SubscriptionTokenAsync(Guid.Parse(arriving.WebsiteId)));
    }

    [Fact]
    public async Task CatchUpSync_RemovedEntryForHandAddedTenant_TenantStaysActive()
    {
        // A website added by hand (tenant add) whose owner also installed the plugin, then removed it in Crisp: the
        // catch-up sync's "removed" entry is a sync like the full one, and a sync never uninstalls a hand-added tenant.
        await Simulator.SetHookTargetAsync(null);
        var manual = await Data.TenantAsync("Manual");
        var key = await Data.ApiKeyAsync(manual);
        Simulator.Install("Manual", manual);
        await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.FullSyncAsync(CancellationToken.None));
        Simulator.Commands.UninstallWebsite(manual.ToString("D"));

        var result = await Live.RunAsync<InstallationSync, InstallationSync.Result>(s => s.CatchUpAsync(CancellationToken.None));

        Assert.Equal(0, result.Uninstalled);
        var row = await Live.FindTenantAsync(manual);
        Assert.Equal((TenantStatus.Active, TenantSource.Manual), (row!.Status, row.Source));
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(key.Plaintext)).StatusCode);
    }

    [Fact]
    public async Task UninstallHook_HandAddedTenant_TenantStaysActive()
    {
        var manual = await Data.TenantAsync("Manual");
        var key = await Data.ApiKeyAsync(manual);
        Simulator.Install("Manual", manual);
        await Eventually.UntilAsync(async () => await SubscriptionTokenAsync(manual) is not null, "the install hook processed");

        Simulator.Commands.UninstallWebsite(manual.ToString("D"));
        await Eventually.UntilAsync(
            async () =>
            {
                var (scope, db) = Live.OpenScope();
                await using (scope)
                {
                    return await db.Set<HookInboxEntry>().AnyAsync(h => h.WebsiteId == manual && h.Payload.Contains("\"bound\":false") && h.ProcessedAt != null);
                }
            },
            "the unbind processed");

        var row = await Live.FindTenantAsync(manual);
        Assert.Equal((TenantStatus.Active, TenantSource.Manual), (row!.Status, row.Source));
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(key.Plaintext)).StatusCode);
    }

    [Fact]
    public async Task UninstallHook_InstalledWebsite_ApiKeyGets401AndDashboardSaysUninstalled()
    {
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);
        await Live.WaitForTenantAsync(id);
        var key = await Data.ApiKeyAsync(id);
        await Data.UserAsync("owner@acme.example", id, TenantRole.Owner);
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(key.Plaintext)).StatusCode);

        Simulator.Commands.UninstallWebsite(website.WebsiteId);
        var tenant = await Live.WaitForTenantAsync(id, TenantStatus.Uninstalled);

        Assert.NotNull(tenant.UninstalledAt);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallApiAsync(key.Plaintext)).StatusCode);
        var browser = Live.CreateClient();
        await Browser.SignInAsync(browser, "owner@acme.example");
        var page = await browser.GetAsync($"/t/{id:D}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("uninstalled the plugin", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UninstallHook_LateWhileCrispShowsInstalled_TenantStaysActive()
    {
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);
        await Live.WaitForTenantAsync(id);
        var key = await Data.ApiKeyAsync(id);

        // An unbind Crisp kept retrying (4th attempt, the event 15 minutes old) while the plugin is installed.
        var late = SignedHooks.Body("plugin:subscription:updated", id, new System.Text.Json.Nodes.JsonObject { ["bound"] = false },
            DateTimeOffset.UtcNow.AddMinutes(-15).ToUnixTimeMilliseconds());
        using var client = Live.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(late, secret: LiveSimulator.HookSecret, attempt: 4))).StatusCode);
        await Eventually.UntilAsync(
            async () =>
            {
                var (scope, db) = Live.OpenScope();
                await using (scope)
                {
                    return await db.Set<HookInboxEntry>().AnyAsync(h => h.WebsiteId == id && h.Payload.Contains("\"bound\":false") && h.ProcessedAt != null);
                }
            },
            "the late unbind processed");

        Assert.Equal(TenantStatus.Active, (await Live.FindTenantAsync(id))!.Status);
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(key.Plaintext)).StatusCode);
    }

    [Fact]
    public async Task InstallHook_LateAfterUninstall_IgnoredWithoutRetryingAndTenantStaysUninstalled()
    {
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);
        await Live.WaitForTenantAsync(id);
        Simulator.Commands.UninstallWebsite(website.WebsiteId);
        await Live.WaitForTenantAsync(id, TenantStatus.Uninstalled);

        // A bind Crisp kept retrying (3rd attempt) arrives after the website removed the plugin: Crisp's settings
        // route answers not_subscribed, so there is nothing to install and nothing to try again.
        var late = SignedHooks.Body("plugin:subscription:updated", id, new System.Text.Json.Nodes.JsonObject { ["bound"] = true },
            DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
        using var client = Live.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(SignedHooks.Request(late, secret: LiveSimulator.HookSecret, attempt: 3))).StatusCode);
        HookInboxEntry? entry = null;
        await Eventually.UntilAsync(
            async () =>
            {
                var (scope, db) = Live.OpenScope();
                await using (scope)
                {
                    entry = await db.Set<HookInboxEntry>().AsNoTracking()
                        .FirstOrDefaultAsync(h => h.WebsiteId == id && h.Payload == late && (h.ProcessedAt != null || h.Attempts > 0));
                    return entry is not null;
                }
            },
            "the late bind processed");

        Assert.Equal((0, "ignored", null), (entry!.Attempts, entry.Outcome, entry.LastError));
        Assert.Equal(TenantStatus.Uninstalled, (await Live.FindTenantAsync(id))!.Status);
    }

    [Fact]
    public async Task Reinstall_WithinRetention_RestoresTenantApiKeyAndNewToken()
    {
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);
        await Live.WaitForTenantAsync(id);
        var key = await Data.ApiKeyAsync(id);
        Simulator.Commands.UninstallWebsite(website.WebsiteId);
        await Live.WaitForTenantAsync(id, TenantStatus.Uninstalled);

        var again = Simulator.Install("Acme", id);
        var tenant = await Live.WaitForTenantAsync(id);

        Assert.Null(tenant.UninstalledAt);
        Assert.Equal(HttpStatusCode.OK, (await CallApiAsync(key.Plaintext)).StatusCode);
        await Eventually.UntilAsync(async () => await SubscriptionTokenAsync(id) == again.SubscriptionToken, "the new subscription token");
        Assert.NotEqual(website.SubscriptionToken, again.SubscriptionToken);
    }

    [Fact]
    public async Task InstallHook_DeliveredWhileSettingsRouteFails_RetriedUntilTenantActive()
    {
        // Crisp answers 503 to the settings read the install hook needs: the hook stays in the inbox and the
        // sweep (or the next delivery) completes the install later, without a half-made tenant in between.
        var failing = true;
        Simulator.Intercept(async context =>
        {
            if (failing && context.Request.Path.Value!.EndsWith("/settings", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("{\"error\":true,\"reason\":\"service_unavailable\",\"data\":{}}");
                return true;
            }

            return false;
        });
        var website = Simulator.Install("Acme");
        var id = Guid.Parse(website.WebsiteId);
        await Eventually.UntilAsync(
            async () =>
            {
                var (scope, db) = Live.OpenScope();
                await using (scope)
                {
                    return await db.Set<HookInboxEntry>().AnyAsync(h => h.WebsiteId == id && h.Attempts > 0);
                }
            },
            "a failed processing attempt");
        Assert.Null(await Live.FindTenantAsync(id));

        failing = false;
        // The entry waits out its backoff; process it now, as the sweep does once it is due.
        var (processScope, processDb) = Live.OpenScope();
        await using (processScope)
        {
            var processor = processScope.ServiceProvider.GetRequiredService<HookProcessor>();
            var waiting = processDb.Set<HookInboxEntry>().Where(h => h.ProcessedAt == null);
            await waiting.ExecuteUpdateAsync(s => s.SetProperty(h => h.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
            foreach (var entryId in await waiting.Select(h => h.Id).ToListAsync())
            {
                await processor.ProcessAsync(entryId, CancellationToken.None);
            }
        }

        await Live.WaitForTenantAsync(id);
        Assert.Equal(website.SubscriptionToken, await SubscriptionTokenAsync(id));
    }

    private async Task<HttpResponseMessage> CallApiAsync(string apiKey)
    {
        using var client = Live.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return await client.GetAsync("/api/v1/tenant");
    }

    private async Task<string?> SubscriptionTokenAsync(Guid websiteId)
    {
        var (scope, _) = Live.OpenScope(websiteId);
        await using (scope)
        {
            return await scope.ServiceProvider.GetRequiredService<TenantSecrets>().GetAsync(SecretNames.SubscriptionToken, CancellationToken.None);
        }
    }

    private async Task<(string Ciphertext, DateTimeOffset UpdatedAt)?> SecretRowAsync(Guid websiteId)
    {
        var (scope, db) = Live.OpenScope(websiteId);
        await using (scope)
        {
            var row = await db.Set<TenantSecret>().AsNoTracking().SingleOrDefaultAsync(s => s.Name == SecretNames.SubscriptionToken);
            return row is null ? null : (row.Ciphertext, row.UpdatedAt);
        }
    }

    private async Task<List<Tenant>> AllTenantsAsync()
    {
        var (scope, db) = Live.OpenScope();
        await using (scope)
        {
            return await db.Tenants.AcrossTenants().AsNoTracking().ToListAsync();
        }
    }

    private static void AssertSameRow(Tenant expected, Tenant? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(
            (expected.Name, expected.Status, expected.Source, expected.SettingsJson, expected.InstalledAt, expected.UpdatedAt, expected.UninstalledAt),
            (actual.Name, actual.Status, actual.Source, actual.SettingsJson, actual.InstalledAt, actual.UpdatedAt, actual.UninstalledAt));
    }
}

public sealed class InstallationLifecycleTestsOnSqlite(LiveHubFixture live) : InstallationLifecycleTests(live), IClassFixture<LiveHubFixture>;

public sealed class InstallationLifecycleTestsOnPostgres(LivePostgresHubFixture live) : InstallationLifecycleTests(live), IClassFixture<LivePostgresHubFixture>;
