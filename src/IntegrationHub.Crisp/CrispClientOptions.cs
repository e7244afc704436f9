namespace IntegrationHub.Crisp;

/// <summary>
/// Settings of the Crisp REST v1 client. Bind from the <see cref="SectionName"/> configuration section,
/// e.g. <c>services.AddOptions&lt;CrispClientOptions&gt;().BindConfiguration(CrispClientOptions.SectionName)</c>.
/// </summary>
public sealed class CrispClientOptions
{
    public const string SectionName = "Crisp";

    /// <summary>REST base URL including the version path. Tests point it at the simulator.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.crisp.chat/v1/");

    /// <summary>Token identifier of the default credentials (the plugin token).</summary>
    public string Identifier { get; set; } = "";

    /// <summary>Token key of the default credentials. Never logged.</summary>
    public string Key { get; set; } = "";

    /// <summary>Value of <c>X-Crisp-Tier</c>: <c>plugin</c>, <c>website</c> or <c>user</c>.</summary>
    public string Tier { get; set; } = CrispCredentials.PluginTier;

    /// <summary>Time allowed for one attempt of one request.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the single retry of a 5xx answer or a transport failure (the Go client waits 1 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
