using Hangfire;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Installations;

/// <summary>
/// Reconciles tenants with Crisp's list of installs. Idempotent: a second run with nothing changed in Crisp changes
/// nothing here. The sync time is recorded only after a run completes, so an interrupted run is simply redone.
/// </summary>
public sealed class InstallationSync(
    CrispClient crisp, PluginIdentity plugin, InstallationLifecycle lifecycle, HubDbContext db, TimeProvider clock, HubCrispMode mode,
    IOptions<CrispClientOptions> crispOptions, ILogger<InstallationSync> logger)
{
    // The words of /websites/since's "difference" are unverified (crisp-api.md §3; Go's doc says "linked or unlinked or
    // updated"): these are read as they say, any other word is settled by asking Crisp about the website.
    private static readonly HashSet<string> RemovedWords = new(StringComparer.OrdinalIgnoreCase) { "removed", "unlinked", "deleted" };
    private static readonly HashSet<string> PresentWords = new(StringComparer.OrdinalIgnoreCase) { "added", "linked", "updated" };

    public sealed record Result(int Seen, int Installed, int Updated, int Uninstalled);

    /// <summary>Every website Crisp lists, page by page until an empty page; Crisp-installed tenants it no longer lists are uninstalled.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<Result> FullSyncAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var seen = new HashSet<Guid>();
        var counts = new Dictionary<InstallationLifecycle.Change, int>();
        await foreach (var website in crisp.Plugin.ListAllWebsitesAsync(cancellationToken: cancellationToken))
        {
            if (!Guid.TryParse(website.WebsiteId, out var websiteId) || !seen.Add(websiteId))
            {
                continue;
            }

            Count(counts, await lifecycle.InstallOrUpdateAsync(new CrispInstall(websiteId, website.Token, website.Settings), cancellationToken));
        }

        // Only tenants installed before this run began: one a hook installed (or reinstalled) while the pages were
        // being read is simply not in them, and is not an uninstall.
        var gone = await db.Tenants.AcrossTenants().AsNoTracking()
            .Where(t => t.Source == TenantSource.Crisp && t.Status == TenantStatus.Active)
            .Select(t => new { t.Id, t.InstalledAt })
            .ToListAsync(cancellationToken);
        foreach (var websiteId in gone.Where(t => t.InstalledAt < started && !seen.Contains(t.Id)).Select(t => t.Id))
        {
            Count(counts, await lifecycle.UninstallAsync(websiteId, cancellationToken));
        }

        await RecordAsync(started, full: true, cancellationToken);
        var result = Summarise(seen.Count, counts);
        logger.LogInformation("Installation full sync: {Result}", result);
        return result;
    }

    /// <summary>Changes since the last successful sync (<c>/websites/since</c>); the first run is a full sync.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    [AutomaticRetry(Attempts = 3)]
    public async Task<Result> CatchUpAsync(CancellationToken cancellationToken)
    {
        var state = await db.Set<PluginSyncState>().AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (state?.LastSuccessfulSyncStartedAt is not { } since)
        {
            return await FullSyncAsync(cancellationToken);
        }

        var started = clock.GetUtcNow();
        var counts = new Dictionary<InstallationLifecycle.Change, int>();
        var changes = await crisp.Plugin.ListWebsitesSinceAsync(since, cancellationToken: cancellationToken);
        foreach (var website in changes)
        {
            if (!Guid.TryParse(website.WebsiteId, out var websiteId))
            {
                continue;
            }

            Count(counts, await ApplyChangeAsync(websiteId, website, cancellationToken));
        }

        await RecordAsync(started, full: false, cancellationToken);
        return Summarise(changes.Count, counts);
    }

    private async Task<InstallationLifecycle.Change> ApplyChangeAsync(Guid websiteId, CrispConnectWebsite website, CancellationToken cancellationToken)
    {
        if (website.Difference is { } removed && RemovedWords.Contains(removed))
        {
            return await lifecycle.UninstallFromCrispAsync(websiteId, cancellationToken);
        }

        if (website.Difference is { } present && PresentWords.Contains(present))
        {
            return await lifecycle.InstallOrUpdateAsync(new CrispInstall(websiteId, website.Token, website.Settings), cancellationToken);
        }

        // An unknown word (or none) must neither reinstall a website that removed the plugin nor keep one that did:
        // Crisp's settings route says which (404 = not subscribed), like for a plugin:subscription:updated hook.
        logger.LogInformation("Catch-up sync: website {WebsiteId} changed with difference '{Difference}'; asking Crisp whether it is installed.", websiteId, website.Difference);
        return await crisp.FindSubscriptionAsync(plugin, websiteId, cancellationToken) is { } settings
            ? await lifecycle.InstallOrUpdateAsync(new CrispInstall(websiteId, settings.Token, settings.Settings), cancellationToken)
            : await lifecycle.UninstallFromCrispAsync(websiteId, cancellationToken);
    }

    private async Task RecordAsync(DateTimeOffset started, bool full, CancellationToken cancellationToken)
    {
        var state = await db.Set<PluginSyncState>().SingleOrDefaultAsync(cancellationToken);
        if (state is null)
        {
            state = new PluginSyncState();
            db.Set<PluginSyncState>().Add(state);
        }

        state.LastSuccessfulSyncStartedAt = started;
        if (!mode.IsDemo)
        {
            state.CrispBaseUrl = crispOptions.Value.BaseUrl.ToString();
        }

        if (full)
        {
            state.LastFullSyncStartedAt = started;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Count(Dictionary<InstallationLifecycle.Change, int> counts, InstallationLifecycle.Change change) =>
        counts[change] = counts.GetValueOrDefault(change) + 1;

    private static Result Summarise(int seen, Dictionary<InstallationLifecycle.Change, int> counts) => new(
        seen,
        counts.GetValueOrDefault(InstallationLifecycle.Change.Installed) + counts.GetValueOrDefault(InstallationLifecycle.Change.Reinstalled),
        counts.GetValueOrDefault(InstallationLifecycle.Change.Updated),
        counts.GetValueOrDefault(InstallationLifecycle.Change.Uninstalled));
}
