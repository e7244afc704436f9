namespace IntegrationHub.Web.Features.CrispSettings;

public sealed class CrispSettingsOptions
{
    public const string Section = "CrispSettings";

    /// <summary>Origins allowed to frame the settings page (Crisp's dashboard).</summary>
    public string FrameAncestors { get; set; } = "https://app.crisp.chat";

    /// <summary>
    /// The key that once held the settings pages' budget maximum, beside <c>Delivery:MaxBudgetPerMinute</c> which the
    /// delivery engine enforced: raising one without the other let a page accept a budget that delivery then cut
    /// silently, or refuse one delivery would honour. It is read only as an alias of the delivery key now.
    /// </summary>
    public const string LegacyMaxBudgetKey = Section + ":MaxBudgetPerMinute";
}
