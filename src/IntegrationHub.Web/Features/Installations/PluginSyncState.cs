namespace IntegrationHub.Web.Features.Installations;

/// <summary>Hub-wide (one row): when installation sync last completed, so the catch-up knows where to start.</summary>
public sealed class PluginSyncState
{
    public const string SingletonId = "plugin";

    public string Id { get; set; } = SingletonId;

    public DateTimeOffset? LastFullSyncStartedAt { get; set; }

    public DateTimeOffset? LastSuccessfulSyncStartedAt { get; set; }

    /// <summary>
    /// The Crisp a sync with plugin credentials last talked to (never the demo simulator): a database that holds real
    /// installs, which demo mode's sync against its empty simulator would uninstall (<see cref="DemoModeGuard"/>).
    /// </summary>
    public string? CrispBaseUrl { get; set; }
}
