using System.Text.Json.Nodes;
using Hangfire;
using IntegrationHub.Crisp;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Relay;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Hooks;

/// <summary>
/// Processes stored hooks. Runs as a Hangfire job right after intake and, for anything a crash or a lost job left
/// behind, from the periodic sweep. Each entry is marked processed in its own commit.
/// </summary>
public sealed class HookProcessor(
    HubDbContext db,
    InstallationLifecycle lifecycle,
    CrispClient crisp,
    PluginIdentity plugin,
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    ILogger<HookProcessor> logger)
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    /// <summary>How long a worker owns an entry it processes: well past a handler's Crisp calls (10 s timeout, one retry).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>The column's length (<see cref="HookInboxConfiguration"/>).</summary>
    private const int MaxErrorLength = 2000;

    [AutomaticRetry(Attempts = 0)]
    public async Task ProcessAsync(long entryId, CancellationToken cancellationToken)
    {
        // Checking ProcessedAt alone let the job and the sweep both pass it and both react (or both fail and count two
        // attempts). The entry is claimed in one conditional UPDATE, which only one of any number of workers wins: it
        // must be due, and claiming moves its next attempt past the lease, so the sweep (on any node) leaves it alone
        // while it is processed and takes it again only if the worker died.
        var now = clock.GetUtcNow();
        var claimed = await db.Set<HookInboxEntry>()
            .Where(h => h.Id == entryId && h.ProcessedAt == null && (h.NextAttemptAt == null || h.NextAttemptAt <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.NextAttemptAt, now + Lease), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var entry = await db.Set<HookInboxEntry>().FirstAsync(h => h.Id == entryId, cancellationToken);
        try
        {
            entry.Outcome = await DispatchAsync(entry, cancellationToken) ? "processed" : "ignored";
            entry.ProcessedAt = clock.GetUtcNow();
            entry.LastError = null;
            entry.NextAttemptAt = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any failure, expected (Crisp, network, database) or not (a bug, a payload the handler cannot read), is
            // this entry's alone: retried with backoff and then parked as failed, never thrown to the sweep, where it
            // would stop every entry after it. What the failed handler left in the context is not this entry's
            // outcome: dropped, and the entry read again.
            db.ChangeTracker.Clear();
            entry = await db.Set<HookInboxEntry>().FirstAsync(h => h.Id == entryId, cancellationToken);
            entry.Attempts++;
            entry.LastError = Truncate(ex.GetType().Name + ": " + ex.Message, MaxErrorLength);
            if (entry.Attempts > Backoff.Length)
            {
                entry.Outcome = "failed";
                entry.ProcessedAt = clock.GetUtcNow();
            }
            else
            {
                entry.NextAttemptAt = clock.GetUtcNow() + Backoff[entry.Attempts - 1];
            }

            if (ex is CrispException or HttpRequestException or DbUpdateException or InvalidOperationException)
            {
                logger.LogWarning("Hook {EntryId} ({Event}) failed, attempt {Attempt}: {Error}", entry.Id, entry.Event, entry.Attempts, entry.LastError);
            }
            else
            {
                logger.LogError(ex, "Hook {EntryId} ({Event}) failed unexpectedly, attempt {Attempt}.", entry.Id, entry.Event, entry.Attempts);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The sweep: unprocessed entries whose next attempt is due, oldest first.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> ProcessPendingAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<HookInboxEntry>().AsNoTracking()
            .Where(h => h.ProcessedAt == null && (h.NextAttemptAt == null || h.NextAttemptAt <= now))
            .OrderBy(h => h.Id).Select(h => h.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var id in due)
        {
            try
            {
                await ProcessAsync(id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Even recording the failure failed (the database, most likely): the next entries still get their
                // turn, and this one comes back on the next sweep.
                db.ChangeTracker.Clear();
                logger.LogError(ex, "Hook {EntryId}: processing could not record its outcome; left for the next sweep.", id);
            }
        }

        return due.Count;
    }

    private static string Truncate(string text, int length) => TextCut.Truncate(text, length);

    private async Task<bool> DispatchAsync(HookInboxEntry entry, CancellationToken cancellationToken)
    {
        var handled = await HandleAsync(entry, cancellationToken);
        var relayed = entry.WebsiteId is { } websiteId && await lifecycle.IsActiveAsync(websiteId, cancellationToken) && await RelayAsync(entry, websiteId, cancellationToken);
        return handled || relayed;
    }

    /// <summary>
    /// Every event of a website, handled or not, goes to the tenant's matching relay endpoints. Runs in the website's
    /// own tenant scope; idempotent per hook entry, so a retried hook does not relay twice.
    /// </summary>
    private async Task<bool> RelayAsync(HookInboxEntry entry, Guid websiteId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
        var added = await scope.ServiceProvider.GetRequiredService<RelayService>().EnqueueAsync(entry.Id, entry.Event, entry.Payload, cancellationToken);
        if (added > 0)
        {
            jobs.Enqueue<RelaySender>(s => s.DrainAsync(CancellationToken.None));
        }

        return added > 0;
    }

    private async Task<bool> HandleAsync(HookInboxEntry entry, CancellationToken cancellationToken)
    {
        var root = JsonNode.Parse(entry.Payload)?.AsObject();
        var data = root?["data"] as JsonObject ?? [];
        if (entry.WebsiteId is not { } websiteId)
        {
            logger.LogInformation("Hook {Event} without website_id ignored.", entry.Event);
            return false;
        }

        switch (entry.Event)
        {
            case "plugin:subscription:updated":
                if (data["bound"]?.GetValueKind() == System.Text.Json.JsonValueKind.False)
                {
                    return await UninstallIfCrispConfirmsAsync(websiteId, cancellationToken);
                }

                return await InstallIfCrispConfirmsAsync(websiteId, cancellationToken);

            case "plugin:settings:saved":
                // Only an installed website's settings: a late settings hook must not reinstall an uninstalled one.
                if (!await lifecycle.IsActiveAsync(websiteId, cancellationToken))
                {
                    return false;
                }

                // Settings are replaced as a whole: a hook without a settings object (missing, null, a string) would
                // have wiped the website's settings — its switches and budget — to nothing. Crisp sends an object.
                if (data["settings"] is not JsonObject settings)
                {
                    logger.LogWarning("Hook plugin:settings:saved for {WebsiteId} ignored: 'settings' is not an object.", websiteId);
                    return false;
                }

                await lifecycle.InstallOrUpdateAsync(new CrispInstall(websiteId, null, settings, OccurredAt(root)), cancellationToken);
                return true;

            case var name when HookReactions.HookReactionService.Events.Contains(name):
                return await ReactAsync(websiteId, name, data, OccurredAt(root), cancellationToken);

            default:
                logger.LogDebug("Hook {Event} for {WebsiteId}: no reaction.", entry.Event, websiteId);
                return false;
        }
    }

    /// <summary>When the event happened in Crisp: the body's <c>timestamp</c> (epoch milliseconds), if it has a usable one.</summary>
    private static DateTimeOffset? OccurredAt(JsonObject? root) =>
        root?["timestamp"] is JsonValue value && value.TryGetValue<long>(out var milliseconds)
            && milliseconds > 0 && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;

    /// <summary>
    /// The hook says "bound"; the token and settings come from Crisp's settings route. A bind Crisp delivers late
    /// (retried after the website removed the plugin again) finds the website not subscribed there (404): nothing to
    /// install, so the hook is ignored, not retried against Crisp for hours and parked as failed.
    /// </summary>
    private async Task<bool> InstallIfCrispConfirmsAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        if (await crisp.FindSubscriptionAsync(plugin, websiteId, cancellationToken) is not { } settings)
        {
            logger.LogInformation("Hook plugin:subscription:updated (bound: true) for {WebsiteId} ignored: Crisp says the plugin is not installed.", websiteId);
            return false;
        }

        await lifecycle.InstallOrUpdateAsync(new CrispInstall(websiteId, settings.Token, settings.Settings), cancellationToken);
        return true;
    }

    /// <summary>
    /// Crisp retries a hook for a while and may deliver it late, after the website installed the plugin again: a
    /// stale "unbound" must not uninstall a website Crisp shows as installed (the catch-up sync would not repair it,
    /// as nothing changed in Crisp). So, like an install, an uninstall is confirmed with Crisp: only "not subscribed"
    /// (404) uninstalls. Crisp unreachable → the processor's backoff retries; the full sync is the last resort.
    /// </summary>
    private async Task<bool> UninstallIfCrispConfirmsAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        if (!await lifecycle.IsActiveAsync(websiteId, cancellationToken))
        {
            return false; // unknown or already uninstalled: nothing to do, nothing to ask
        }

        if (await crisp.FindSubscriptionAsync(plugin, websiteId, cancellationToken) is null)
        {
            return await lifecycle.UninstallFromCrispAsync(websiteId, cancellationToken) == InstallationLifecycle.Change.Uninstalled;
        }

        logger.LogInformation("Hook plugin:subscription:updated (bound: false) for {WebsiteId} ignored: Crisp still has the plugin installed.", websiteId);
        return false;
    }

    /// <summary>Tenant reactions run in their own scope acting for the hook's website, and only for an active tenant.</summary>
    private async Task<bool> ReactAsync(Guid websiteId, string eventName, JsonObject data, DateTimeOffset? occurredAt, CancellationToken cancellationToken)
    {
        if (!await lifecycle.IsActiveAsync(websiteId, cancellationToken))
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Use(websiteId);
        return await scope.ServiceProvider.GetRequiredService<HookReactions.HookReactionService>().ReactAsync(eventName, data, occurredAt, cancellationToken);
    }
}
