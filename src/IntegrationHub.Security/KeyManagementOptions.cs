namespace IntegrationHub.Security;

/// <summary>Configuration section <c>KeyManagement</c>: which key-encryption-key provider wraps the data keys.</summary>
public sealed class KeyManagementOptions
{
    public const string SectionName = "KeyManagement";

    /// <summary><c>Local</c> (default) or <c>AzureKeyVault</c>, see <see cref="KeyEncryptionKeyProviderNames"/>.</summary>
    public string Provider { get; set; } = KeyEncryptionKeyProviderNames.Local;

    public LocalKeyOptions Local { get; set; } = new();

    public AzureKeyVaultKeyOptions AzureKeyVault { get; set; } = new();
}

/// <summary><c>KeyManagement:Local</c>.</summary>
public sealed class LocalKeyOptions
{
    /// <summary>
    /// The key-ring file. Default <c>{dataDirectory}/keys/kek.json</c>; a relative path is resolved against the
    /// data directory given to <c>AddKeyManagement</c>.
    /// </summary>
    public string? KeyPath { get; set; }
}

/// <summary><c>KeyManagement:AzureKeyVault</c>.</summary>
public sealed class AzureKeyVaultKeyOptions
{
    /// <summary>The vault, e.g. <c>https://my-vault.vault.azure.net</c>. Must be https.</summary>
    public string? VaultUrl { get; set; }

    /// <summary>Name of an RSA key in the vault that permits wrapKey and unwrapKey.</summary>
    public string? KeyName { get; set; }

    /// <summary>
    /// Optional. Pins the key version used to wrap. When empty, Key Vault wraps with the key's current version and the
    /// version it used is read from the returned <c>kid</c>. Unwrap always uses the version recorded at wrap time.
    /// </summary>
    public string? KeyVersion { get; set; }
}
