using System.Net.Http.Headers;
using System.Text;

namespace IntegrationHub.Crisp;

/// <summary>
/// A Crisp token keypair and the tier it belongs to. <see cref="ToString"/> never shows the key.
/// </summary>
public sealed record CrispCredentials
{
    public const string PluginTier = "plugin";
    public const string WebsiteTier = "website";
    public const string UserTier = "user";

    public CrispCredentials(string identifier, string key, string tier = PluginTier)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identifier);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(tier);
        Identifier = identifier;
        Key = key;
        Tier = tier;
    }

    public string Identifier { get; }

    public string Key { get; }

    public string Tier { get; }

    /// <summary>A website-tier token (one workspace's own token).</summary>
    public static CrispCredentials Website(string identifier, string key) => new(identifier, key, WebsiteTier);

    internal AuthenticationHeaderValue ToAuthorizationHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Identifier + ":" + Key)));

    public override string ToString() => $"CrispCredentials {{ Tier = {Tier}, Identifier = {Identifier}, Key = *** }}";
}
