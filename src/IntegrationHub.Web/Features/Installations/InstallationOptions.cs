namespace IntegrationHub.Web.Features.Installations;

public sealed class InstallationOptions
{
    public const string Section = "Installations";

    /// <summary>How long an uninstalled website's data is kept; a reinstall within it restores everything.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Cron of the full sync (every install Crisp knows of).</summary>
    public string FullSyncCron { get; set; } = "0 * * * *";

    /// <summary>Cron of the catch-up sync (changes since the last successful sync).</summary>
    public string CatchUpCron { get; set; } = "*/5 * * * *";
}
