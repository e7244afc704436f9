namespace IntegrationHub.Security;

/// <summary>
/// Wraps and unwraps per-tenant data keys with a key-encryption key (KEK). Implementations record the KEK id and
/// version in every <see cref="WrappedKey"/> and unwrap with exactly that KEK, so a newer current KEK never breaks
/// data keys wrapped before it.
/// </summary>
public interface IKeyEncryptionKeyProvider
{
    /// <summary>The provider name stored in <see cref="WrappedKey.ProviderName"/>, see <see cref="KeyEncryptionKeyProviderNames"/>.</summary>
    string ProviderName { get; }

    /// <summary>Wraps <paramref name="dataKey"/> under the current KEK.</summary>
    Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default);

    /// <summary>Unwraps with the KEK recorded in <paramref name="wrapped"/>. The caller should zero the result when done.</summary>
    /// <exception cref="KeyEncryptionKeyException">The key is unknown, the wrapped bytes do not verify, or the key service failed.</exception>
    Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default);

    /// <summary>The id (with version) of the KEK that <see cref="WrapAsync"/> uses now.</summary>
    Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default);
}

/// <summary>The provider names accepted in <c>KeyManagement:Provider</c> and recorded in wrapped keys.</summary>
public static class KeyEncryptionKeyProviderNames
{
    public const string Local = "Local";
    public const string AzureKeyVault = "AzureKeyVault";
}
