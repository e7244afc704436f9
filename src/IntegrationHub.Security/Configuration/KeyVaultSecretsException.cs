namespace IntegrationHub.Security.Configuration;

/// <summary>
/// Secrets could not be loaded from Azure Key Vault into configuration, or the <c>KeyVault:*</c> settings are invalid.
/// The message names the vault (and the secret, when one failed) and never holds a secret value.
/// </summary>
public sealed class KeyVaultSecretsException : Exception
{
    public KeyVaultSecretsException()
    {
    }

    public KeyVaultSecretsException(string message)
        : base(message)
    {
    }

    public KeyVaultSecretsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public KeyVaultSecretsException(
        string message, Uri? vaultUri, int? statusCode, string? errorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        VaultUri = vaultUri;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The vault that failed, when the settings named one.</summary>
    public Uri? VaultUri { get; }

    /// <summary>HTTP status Key Vault returned, when it answered.</summary>
    public int? StatusCode { get; }

    /// <summary>Key Vault's error code (for example <c>Forbidden</c>), when it returned one.</summary>
    public string? ErrorCode { get; }
}
