using System.Buffers.Text;
using System.Text;

namespace IntegrationHub.Security;

/// <summary>
/// A data key encrypted ("wrapped") by a key-encryption key. Records which provider and which KEK id/version
/// wrapped it, so a rotation job can find the data keys still wrapped under an old KEK and unwrap always uses the
/// KEK that was used at wrap time.
/// </summary>
public sealed class WrappedKey : IEquatable<WrappedKey>
{
    private const string FormatPrefix = "wk1.";
    private readonly byte[] _ciphertext;

    public WrappedKey(string providerName, string keyId, ReadOnlySpan<byte> ciphertext)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        if (ciphertext.IsEmpty)
        {
            throw new ArgumentException("The wrapped key bytes are empty.", nameof(ciphertext));
        }

        ProviderName = providerName;
        KeyId = keyId;
        _ciphertext = ciphertext.ToArray();
    }

    /// <summary>Name of the provider that wrapped the key, e.g. <c>Local</c> or <c>AzureKeyVault</c>.</summary>
    public string ProviderName { get; }

    /// <summary>The KEK id including its version (a local key-ring id, or a Key Vault <c>kid</c> URL with version).</summary>
    public string KeyId { get; }

    /// <summary>The wrapped (encrypted) data key.</summary>
    public ReadOnlyMemory<byte> Ciphertext => _ciphertext;

    /// <summary>
    /// A single-string form for storage: <c>wk1.</c> + base64url(provider) + <c>.</c> + base64url(key id) + <c>.</c>
    /// + base64url(wrapped bytes). Each part is encoded, so a key id containing dots or colons stays unambiguous.
    /// </summary>
    public string Format() =>
        StoragePrefix(ProviderName)
        + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(KeyId)) + "."
        + Base64Url.EncodeToString(_ciphertext);

    /// <summary>How every stored key of one provider begins: finds them in a database without parsing each.</summary>
    public static string StoragePrefix(string providerName) =>
        FormatPrefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(providerName)) + ".";

    /// <summary>Parses the output of <see cref="Format"/>.</summary>
    /// <exception cref="FormatException">The text is not a wrapped key in a known format.</exception>
    public static WrappedKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(FormatPrefix, StringComparison.Ordinal))
        {
            throw new FormatException("The wrapped key does not start with a known format prefix.");
        }

        var parts = text[FormatPrefix.Length..].Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException("The wrapped key does not have three parts.");
        }

        try
        {
            var providerName = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
            var keyId = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
            var ciphertext = Base64Url.DecodeFromChars(parts[2]);
            return new WrappedKey(providerName, keyId, ciphertext);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException("The wrapped key has an empty or invalid part.", ex);
        }
    }

    public bool Equals(WrappedKey? other) =>
        other is not null
        && string.Equals(ProviderName, other.ProviderName, StringComparison.Ordinal)
        && string.Equals(KeyId, other.KeyId, StringComparison.Ordinal)
        && _ciphertext.AsSpan().SequenceEqual(other._ciphertext);

    public override bool Equals(object? obj) => Equals(obj as WrappedKey);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(ProviderName),
        StringComparer.Ordinal.GetHashCode(KeyId),
        _ciphertext.Length);

    public override string ToString() =>
        $"WrappedKey {{ ProviderName = {ProviderName}, KeyId = {KeyId}, Ciphertext = [redacted] }}";
}
