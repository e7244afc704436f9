namespace IntegrationHub.CrispSimulator;

/// <summary>
/// Simulator knobs, bound from the <c>Simulator</c> configuration section. Defaults live here (the project has no
/// appsettings.json so that it can be mounted inside the hub without a content-file collision).
/// </summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Plugin-tier keypair identifier the simulator accepts (HTTP Basic user name).</summary>
    public string PluginIdentifier { get; set; } = "sim-plugin-identifier";

    /// <summary>Plugin-tier keypair key the simulator accepts (HTTP Basic password).</summary>
    public string PluginKey { get; set; } = "sim-plugin-key";

    /// <summary>UUID answered by <c>GET /v1/plugin/connect/account</c> and expected in subscription routes.</summary>
    public string PluginId { get; set; } = "5f1d5c4e-7a3b-4c1e-9d2f-0a6b8c3e1f20";

    public string PluginUrn { get; set; } = "urn:sim:integration-hub:0";

    /// <summary>Secret the simulator signs Plugin Hooks with (<c>X-Crisp-Signature</c>).</summary>
    public string HookSecret { get; set; } = "sim-hook-secret";

    /// <summary>Where hooks are POSTed. Empty: hooks are recorded in the hook log but not sent.</summary>
    public string HookUrl { get; set; } = "";

    /// <summary>Value of <c>X-Delivery-Attempt-Limit</c>: attempts per hook, the first included.</summary>
    public int HookAttemptLimit { get; set; } = 5;

    /// <summary>Delay before retry n is <c>base * 2^(n-1)</c>.</summary>
    public TimeSpan HookRetryBackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Per-attempt timeout of a hook POST; a timeout counts as a failed attempt.</summary>
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Requests per minute allowed per website; 0 = unlimited. Changeable per website through the admin API.</summary>
    public int DefaultRequestsPerMinute { get; set; }

    /// <summary>Daily plugin-tier request quota (resets at 00:00 UTC); 0 = unlimited.</summary>
    public int DailyQuota { get; set; } = 50_000;

    /// <summary>Page size of every list route when <c>per_page</c> is absent.</summary>
    public int DefaultPerPage { get; set; } = 20;

    /// <summary>Smallest <c>per_page</c> accepted (Crisp documents 20–50); outside the range answers 400 <c>invalid_data</c>.</summary>
    public int MinPerPage { get; set; } = 20;

    public int MaxPerPage { get; set; } = 50;

    /// <summary>KB tree entry <c>type</c> of a Markdown file (UNVERIFIED value).</summary>
    public string KbFileType { get; set; } = "file";

    /// <summary>KB tree entry <c>type</c> of a folder (category/section) (UNVERIFIED value).</summary>
    public string KbFolderType { get; set; } = "directory";

    /// <summary>When true, creating a tree path creates its missing parent folders (mkdir -p); when false it answers 404.</summary>
    public bool KbCreateMissingParents { get; set; }

    /// <summary>
    /// How many levels of <c>children</c> a <c>tree/list</c> entry carries; deeper folders are listed with <c>children: []</c>
    /// and are read with <c>sub_path</c> (crisp-kb-tree-api.md: "Walk children, or pass ?sub_path=&lt;folder&gt; to go
    /// deeper"; how deep Crisp nests them is UNVERIFIED). 0 = the whole subtree.
    /// </summary>
    public int KbListChildrenDepth { get; set; }

    /// <summary>Accepted <c>action</c> values of <c>PATCH tree/path</c>, comma-separated (UNVERIFIED strings).</summary>
    public string KbPathActions { get; set; } = "move,rename,reorder";

    /// <summary>HTTP status of a legacy helpdesk write (reason <c>website_cannot_write_to_legacy_helpdesk</c>).</summary>
    public int LegacyHelpdeskWriteStatus { get; set; } = 403;

    /// <summary>Settings page URL reported in the subscription settings (<c>settings_form_url</c>).</summary>
    public string SettingsFormUrl { get; set; } = "";

    public string CallbackUrl { get; set; } = "";

    /// <summary>Most recent request-journal entries kept (older ones are dropped); 0 = unbounded.</summary>
    public int JournalCapacity { get; set; } = 10_000;

    /// <summary>Most recent hook-log records kept (older ones are dropped); 0 = unbounded.</summary>
    public int HookLogCapacity { get; set; } = 10_000;

    /// <summary>Locale every newly installed website's knowledge base starts with.</summary>
    public string DefaultHelpdeskLocale { get; set; } = "en";
}
