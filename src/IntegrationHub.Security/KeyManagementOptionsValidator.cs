using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Security;

/// <summary>Start-up validation of <see cref="KeyManagementOptions"/>: every failure names the key to fix.</summary>
public sealed partial class KeyManagementOptionsValidator : IValidateOptions<KeyManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.Equals(options.Provider, KeyEncryptionKeyProviderNames.Local, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(options.Local.KeyPath))
            {
                failures.Add("KeyManagement:Local:KeyPath is required for the Local provider.");
            }
        }
        else if (string.Equals(options.Provider, KeyEncryptionKeyProviderNames.AzureKeyVault, StringComparison.OrdinalIgnoreCase))
        {
            failures.AddRange(ValidateAzureKeyVault(options.AzureKeyVault));
        }
        else
        {
            failures.Add(
                $"KeyManagement:Provider '{options.Provider}' is not supported; use '{KeyEncryptionKeyProviderNames.Local}' "
                + $"or '{KeyEncryptionKeyProviderNames.AzureKeyVault}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static IEnumerable<string> ValidateAzureKeyVault(AzureKeyVaultKeyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.VaultUrl))
        {
            yield return "KeyManagement:AzureKeyVault:VaultUrl is required for the AzureKeyVault provider.";
        }
        else if (!Uri.TryCreate(options.VaultUrl, UriKind.Absolute, out var vaultUri)
                 || vaultUri.Scheme != Uri.UriSchemeHttps
                 || !string.IsNullOrEmpty(vaultUri.Query)
                 || !string.IsNullOrEmpty(vaultUri.Fragment)
                 || !string.IsNullOrEmpty(vaultUri.UserInfo)
                 || vaultUri.AbsolutePath != "/")
        {
            yield return "KeyManagement:AzureKeyVault:VaultUrl must be an absolute https URL of the vault itself, "
                         + "e.g. https://my-vault.vault.azure.net.";
        }

        if (string.IsNullOrWhiteSpace(options.KeyName))
        {
            yield return "KeyManagement:AzureKeyVault:KeyName is required for the AzureKeyVault provider.";
        }
        else if (!KeySegment().IsMatch(options.KeyName))
        {
            yield return "KeyManagement:AzureKeyVault:KeyName may contain only letters, digits and '-' (at most 127).";
        }

        if (!string.IsNullOrEmpty(options.KeyVersion) && !KeySegment().IsMatch(options.KeyVersion))
        {
            yield return "KeyManagement:AzureKeyVault:KeyVersion may contain only letters, digits and '-'.";
        }
    }

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$", RegexOptions.CultureInvariant)]
    internal static partial Regex KeySegment();
}
