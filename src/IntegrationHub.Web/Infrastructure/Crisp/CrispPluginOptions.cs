namespace IntegrationHub.Web.Infrastructure.Crisp;

/// <summary>
/// The hub's Crisp marketplace plugin. Values come from configuration, environment variables or Azure Key Vault
/// (see README); never from the database. Empty credentials mean demo mode: the built-in simulator.
/// </summary>
public sealed class CrispPluginOptions
{
    public const string Section = "Crisp";

    public Uri BaseUrl { get; set; } = new("https://api.crisp.chat/v1/");

    public string PluginIdentifier { get; set; } = "";

    public string PluginKey { get; set; } = "";

    /// <summary>The plugin's id (UUID). Optional: read from <c>GET /plugin/connect/account</c> when empty.</summary>
    public string PluginId { get; set; } = "";

    /// <summary>The Plugin Hooks signing secret.</summary>
    public string HookSecret { get; set; } = "";

    /// <summary>The previous signing secret, accepted too while a rotation is under way.</summary>
    public string PreviousHookSecret { get; set; } = "";

    public bool HasCredentials => !string.IsNullOrWhiteSpace(PluginIdentifier) && !string.IsNullOrWhiteSpace(PluginKey);

    public override string ToString() =>
        $"BaseUrl={BaseUrl}, PluginIdentifier={PluginIdentifier}, PluginKey=[redacted], HookSecret=[redacted]";
}
