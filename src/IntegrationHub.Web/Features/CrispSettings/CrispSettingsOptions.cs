namespace IntegrationHub.Web.Features.CrispSettings;

public sealed class CrispSettingsOptions
{
    public const string Section = "CrispSettings";

    /// <summary>Origins allowed to frame the settings page (Crisp's dashboard).</summary>
    public string FrameAncestors { get; set; } = "https://app.crisp.chat";

    /// <summary>The highest per-website Crisp call budget a website's admin may choose.</summary>
    public int MaxBudgetPerMinute { get; set; } = 120;
}
