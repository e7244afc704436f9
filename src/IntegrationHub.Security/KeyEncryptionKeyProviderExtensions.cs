using System.Security.Cryptography;

namespace IntegrationHub.Security;

/// <summary>Rotation helpers shared by every <see cref="IKeyEncryptionKeyProvider"/>.</summary>
public static class KeyEncryptionKeyProviderExtensions
{
    /// <summary>True when <paramref name="wrapped"/> was wrapped by this provider under its current KEK.</summary>
    public static async Task<bool> IsWrappedUnderCurrentKeyAsync(
        this IKeyEncryptionKeyProvider provider, WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!string.Equals(wrapped.ProviderName, provider.ProviderName, StringComparison.Ordinal))
        {
            return false;
        }

        var currentKeyId = await provider.GetCurrentKeyIdAsync(cancellationToken);
        return string.Equals(wrapped.KeyId, currentKeyId, StringComparison.Ordinal);
    }

    /// <summary>
    /// Unwraps <paramref name="wrapped"/> with the KEK it records and wraps the same data key under the current KEK.
    /// The data key itself does not change, so secrets encrypted with it stay readable. The plaintext data key is
    /// zeroed before returning.
    /// </summary>
    public static async Task<WrappedKey> RewrapAsync(
        this IKeyEncryptionKeyProvider provider, WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(wrapped);
        var dataKey = await provider.UnwrapAsync(wrapped, cancellationToken);
        try
        {
            return await provider.WrapAsync(dataKey, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}
