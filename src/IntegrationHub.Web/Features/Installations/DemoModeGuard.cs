using System.Globalization;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Installations;

/// <summary>
/// Demo mode starts whenever the plugin credentials are missing — also when a deployment merely lost them. Over a
/// database synced with the real Crisp, its first full sync (against a simulator that knows only the demo website)
/// would uninstall every real website: API keys answering 401, queued calls paused, the retention purge counting down.
/// So start-up refuses demo mode over such a database, before any sync can run.
/// </summary>
public static class DemoModeGuard
{
    public static async Task EnsureAsync(HubCrispMode mode, HubDbContext db, CancellationToken cancellationToken)
    {
        if (!mode.IsDemo)
        {
            return;
        }

        var synced = await db.Set<PluginSyncState>().AsNoTracking()
            .Where(s => s.CrispBaseUrl != null)
            .Select(s => new { s.CrispBaseUrl, s.LastSuccessfulSyncStartedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (synced is not null)
        {
            var when = synced.LastSuccessfulSyncStartedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "an earlier run";
            throw new DemoModeOverCrispDataException(
                $"Demo mode refused: Crisp:PluginIdentifier and Crisp:PluginKey are empty, but this database's websites were synced with "
                + $"Crisp at {synced.CrispBaseUrl} ({when}); demo mode's sync would uninstall every one of them. Configure the plugin "
                + "credentials (they may be missing from this deployment), or use another database for demo mode.");
        }
    }
}

public sealed class DemoModeOverCrispDataException(string message) : InvalidOperationException(message);
