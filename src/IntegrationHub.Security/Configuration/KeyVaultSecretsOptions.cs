using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Security.Configuration;

/// <summary>
/// Where <see cref="KeyVaultSecretsConfigurationProvider"/> loads secrets from: the <c>KeyVault</c> configuration
/// section (<c>SecretsUri</c>, <c>Prefix</c>, <c>ReloadInterval</c>) plus, for hosts and tests, the credential and the
/// client pipeline options. Holds no secret values.
/// </summary>
public sealed partial class KeyVaultSecretsOptions
{
    public const string SectionName = "KeyVault";
    public const string SecretsUriKey = "KeyVault:SecretsUri";
    public const string PrefixKey = "KeyVault:Prefix";
    public const string ReloadIntervalKey = "KeyVault:ReloadInterval";

    /// <summary>The shortest accepted <see cref="ReloadInterval"/>, so a typo cannot hammer the vault.</summary>
    public static readonly TimeSpan MinimumReloadInterval = TimeSpan.FromSeconds(1);

    /// <summary>The vault's URL, <c>https://{name}.vault.azure.net/</c>.</summary>
    public required Uri VaultUri { get; init; }

    /// <summary>When set, only secrets whose name starts with it are loaded, and it is removed from the key.</summary>
    public string? Prefix { get; init; }

    /// <summary>When set, the vault is read again at this interval; null (the default) reads it once at start-up.</summary>
    public TimeSpan? ReloadInterval { get; init; }

    /// <summary>The credential for the vault; <see cref="Azure.Identity.DefaultAzureCredential"/> when null.</summary>
    public TokenCredential? Credential { get; init; }

    /// <summary>Pipeline options (transport, retries); content logging is always switched off.</summary>
    public SecretClientOptions? ClientOptions { get; init; }

    /// <summary>
    /// Reads the <c>KeyVault:*</c> settings. Null when <c>KeyVault:SecretsUri</c> is not set; throws
    /// <see cref="KeyVaultSecretsException"/> when a setting is invalid.
    /// </summary>
    public static KeyVaultSecretsOptions? FromConfiguration(
        IConfiguration configuration, TokenCredential? credential = null, SecretClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var uriText = configuration[SecretsUriKey];
        if (string.IsNullOrWhiteSpace(uriText))
        {
            return null;
        }

        uriText = uriText.Trim();
        if (!Uri.TryCreate(uriText, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || uri.AbsolutePath != "/")
        {
            throw new KeyVaultSecretsException(
                $"{SecretsUriKey} '{uriText}' is not a Key Vault URL: use https://{{vault-name}}.vault.azure.net/ (https, no path or query).");
        }

        var prefix = configuration[PrefixKey];
        prefix = string.IsNullOrWhiteSpace(prefix) ? null : prefix.Trim();
        if (prefix is not null && !SecretNameCharacters().IsMatch(prefix))
        {
            throw new KeyVaultSecretsException(
                $"{PrefixKey} '{prefix}' can never match a Key Vault secret name: use letters, digits and dashes only.");
        }

        TimeSpan? reloadInterval = null;
        var intervalText = configuration[ReloadIntervalKey];
        if (!string.IsNullOrWhiteSpace(intervalText))
        {
            if (!TimeSpan.TryParse(intervalText.Trim(), CultureInfo.InvariantCulture, out var interval)
                || interval < MinimumReloadInterval)
            {
                throw new KeyVaultSecretsException(
                    $"{ReloadIntervalKey} '{intervalText}' is not a valid interval: use hh:mm:ss of at least 00:00:01, or leave it empty to load once.");
            }

            reloadInterval = interval;
        }

        return new KeyVaultSecretsOptions
        {
            VaultUri = uri,
            Prefix = prefix,
            ReloadInterval = reloadInterval,
            Credential = credential,
            ClientOptions = clientOptions,
        };
    }

    public override string ToString() =>
        $"KeyVaultSecretsOptions {{ Vault = {VaultUri}, Prefix = {Prefix ?? "(none)"}, ReloadInterval = {ReloadInterval?.ToString("c", CultureInfo.InvariantCulture) ?? "(off)"} }}";

    [GeneratedRegex("^[0-9A-Za-z-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretNameCharacters();
}
