using System.Collections.Concurrent;
using IntegrationHub.Security;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Installations;

/// <summary>
/// The one place installs, updates and uninstalls change tenant rows — sync and hooks both converge here. Each
/// call acts in its own scope for one website and commits once, so a sync interrupted between websites leaves
/// every tenant either as it was or fully updated, never half-made.
/// </summary>
public sealed class InstallationLifecycle(IServiceScopeFactory scopes, TimeProvider clock, ILogger<InstallationLifecycle> logger)
{
    public enum Change
    {
        None,
        Installed,
        Reinstalled,
        Updated,
        Uninstalled,
    }

    // Hook and sync often bring the same install at the same moment: one at a time per website in this process.
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _websiteLocks = new();

    public async Task<Change> InstallOrUpdateAsync(CrispInstall install, CancellationToken cancellationToken)
    {
        var gate = _websiteLocks.GetOrAdd(install.WebsiteId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await InstallOrUpdateOnceAsync(install, cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueKeyViolation.Is(e))
        {
            // Another node created the same tenant at the same moment: the other one won, so this is now an
            // update of an existing row. A second failure is a real error.
            return await InstallOrUpdateOnceAsync(install, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Change> InstallOrUpdateOnceAsync(CrispInstall install, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(install.WebsiteId);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var secrets = scope.ServiceProvider.GetRequiredService<TenantSecrets>();
        var now = clock.GetUtcNow();

        var tenant = await db.Tenants.SingleOrDefaultAsync(cancellationToken);
        var change = Change.None;
        if (tenant is null)
        {
            tenant = new Tenant
            {
                Id = install.WebsiteId,
                Name = $"Website {install.WebsiteId.ToString("D")[..8]}",
                Source = TenantSource.Crisp,
                InstalledAt = now,
                UpdatedAt = now,
            };
            db.Tenants.Add(tenant);
            change = Change.Installed;
        }
        else if (tenant.Status == TenantStatus.Uninstalled)
        {
            tenant.Status = TenantStatus.Active;
            tenant.UninstalledAt = null;
            tenant.InstalledAt = now;
            change = Change.Reinstalled;
            // Calls paused by the uninstall resume (issue 5): they go back in line, due now.
            await DeliveryAdmin.ResumePausedAsync(db, now, cancellationToken);
        }

        if (install.Settings is { } settings)
        {
            var json = settings.ToJsonString();
            if (json != tenant.SettingsJson && install.SavedAt is { } savedAt)
            {
                await SupersedeSettingsWritesAsync(db, install.WebsiteId, savedAt, now, cancellationToken);
            }

            if (json != tenant.SettingsJson && await CrispCallOutbox.SettingsWritePendingAsync(db, cancellationToken))
            {
                // A settings save of this hub has not reached Crisp yet: Crisp's copy is the older one, and taking it
                // would undo the save. The queued write brings Crisp level; the next sync after it agrees.
                logger.LogInformation("Website {WebsiteId}: Crisp's settings not taken, a settings write to Crisp is still queued.", install.WebsiteId);
            }
            else if (json != tenant.SettingsJson)
            {
                tenant.SettingsJson = json;
                if (settings["display_name"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var displayName)
                    && displayName.Length is > 0 and <= 200)
                {
                    tenant.Name = displayName;
                }

                change = change == Change.None ? Change.Updated : change;
            }
        }

        if (!string.IsNullOrEmpty(install.Token) && await StoredTokenAsync(secrets, install.WebsiteId, cancellationToken) != install.Token)
        {
            await secrets.SetAsync(SecretNames.SubscriptionToken, install.Token, cancellationToken);
            change = change == Change.None ? Change.Updated : change;
        }

        if (change != Change.None)
        {
            tenant.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            // Settings (the events switch) may have changed: ingestion's short cache reloads them.
            scope.ServiceProvider.GetRequiredService<Rules.RulePlanCache>().Invalidate(tenant.Id);
            logger.LogInformation("Website {WebsiteId}: {Change}", install.WebsiteId, change);
        }

        return change;
    }

    /// <summary>
    /// The stored subscription token, or null when its ciphertext cannot be read (tampered, copied from another tenant
    /// or field): Crisp's copy is the truth and replaces it, where a throw here stopped every later website of a full
    /// sync. A data key that cannot be unwrapped still throws: writing a new token needs that key too.
    /// </summary>
    private async Task<string?> StoredTokenAsync(TenantSecrets secrets, Guid websiteId, CancellationToken cancellationToken)
    {
        try
        {
            return await secrets.GetAsync(SecretNames.SubscriptionToken, cancellationToken);
        }
        catch (SecretDecryptionException ex)
        {
            logger.LogWarning("Website {WebsiteId}: its stored subscription token cannot be read ({Failure}); replaced with Crisp's.", websiteId, ex.Reason);
            return null;
        }
    }

    /// <summary>
    /// The website's admin saved settings in Crisp's dashboard after this hub queued settings writes (a save whose
    /// write-back Crisp had refused): the admin's save is the newer one, and sending those writes would undo it in
    /// Crisp and, through the next sync, here. They are done without being sent (reason <c>superseded</c>); one a
    /// drain is sending right now cannot be stopped, and the settings wait for it as before.
    /// </summary>
    private async Task SupersedeSettingsWritesAsync(HubDbContext db, Guid websiteId, DateTimeOffset savedAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var superseded = await db.Set<CrispCall>()
            .Where(c => c.Kind == CrispCallKinds.PluginSettingsUpdate && c.CreatedAt < savedAt
                && (c.Status == CrispCallStatus.Queued || c.Status == CrispCallStatus.Retrying || c.Status == CrispCallStatus.Paused))
            .ExecuteUpdateAsync(
                s => s.SetProperty(c => c.Status, CrispCallStatus.Sent)
                    .SetProperty(c => c.CompletedAt, now)
                    .SetProperty(c => c.LastReason, "superseded")
                    .SetProperty(c => c.LastError, "Not sent: the settings were saved again in Crisp's dashboard after this write was queued."),
                cancellationToken);
        if (superseded > 0)
        {
            logger.LogInformation("Website {WebsiteId}: {Count} queued settings writes to Crisp dropped, Crisp's dashboard saved newer settings.", websiteId, superseded);
        }
    }

    /// <summary>Whether the website is an installed (active) tenant: what a settings change may update.</summary>
    public async Task<bool> IsActiveAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        return await db.Tenants.AcrossTenants().AnyAsync(t => t.Id == websiteId && t.Status == TenantStatus.Active, cancellationToken);
    }

    /// <summary>Deactivates at once: API keys answer 401 and no Crisp call is made for it from now on.</summary>
    public Task<Change> UninstallAsync(Guid websiteId, CancellationToken cancellationToken) =>
        UninstallAsync(websiteId, keepHandAdded: false, cancellationToken);

    /// <summary>
    /// Crisp says the plugin is gone (a catch-up sync's removed entry, a confirmed unbind hook): a website Crisp
    /// installed is uninstalled; one added by hand (tenant add) is the administrator's, not Crisp's, and stays active —
    /// as in the full sync and on a not_subscribed answer, so that nothing Crisp reports undoes a manual install.
    /// </summary>
    public Task<Change> UninstallFromCrispAsync(Guid websiteId, CancellationToken cancellationToken) =>
        UninstallAsync(websiteId, keepHandAdded: true, cancellationToken);

    private async Task<Change> UninstallAsync(Guid websiteId, bool keepHandAdded, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var tenant = await db.Tenants.SingleOrDefaultAsync(cancellationToken);
        if (tenant is null || tenant.Status == TenantStatus.Uninstalled)
        {
            return Change.None;
        }

        if (keepHandAdded && tenant.Source == TenantSource.Manual)
        {
            logger.LogWarning("Website {WebsiteId} was added by hand (tenant add): Crisp reports the plugin uninstalled, the tenant stays active.", websiteId);
            return Change.None;
        }

        var now = clock.GetUtcNow();
        tenant.Status = TenantStatus.Uninstalled;
        tenant.UninstalledAt = now;
        tenant.UpdatedAt = now;
        // Its API keys stop working with the commit on this node (other nodes: within Api:Auth:CacheSeconds): while it
        // runs they are checked against the database, and the cache forgets them after it.
        using (scope.ServiceProvider.GetRequiredService<ApiKeys.ApiKeyCache>().HoldTenant(websiteId))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        // No Crisp call is made for it from now on: queued calls pause (kept) until a reinstall.
        await DeliveryAdmin.PauseQueuedAsync(db, cancellationToken);
        logger.LogInformation("Website {WebsiteId}: uninstalled", websiteId);
        return Change.Uninstalled;
    }
}
