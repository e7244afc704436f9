using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Security;

/// <summary>
/// AES-256-GCM encryption of one secret value under a tenant's data key. The associated data binds the ciphertext
/// to the tenant id and the field name, so a value copied to another tenant or another field does not decrypt.
/// </summary>
/// <remarks>
/// Output: <c>"v1:" + base64(nonce[12] | ciphertext | tag[16])</c>, standard base64 with padding. The prefix is
/// bound into the associated data too, so a future format cannot be confused with this one.
/// </remarks>
public static class EnvelopeCipher
{
    public const string VersionPrefix = "v1:";
    public const int DataKeySizeInBytes = 32;
    public const int NonceSizeInBytes = 12;
    public const int TagSizeInBytes = 16;

    private static readonly byte[] AssociatedDataLabel = "IntegrationHub.Secret.v1"u8.ToArray();

    /// <summary>Returns a new random 256-bit data key from <see cref="RandomNumberGenerator"/>.</summary>
    public static byte[] GenerateDataKey() => RandomNumberGenerator.GetBytes(DataKeySizeInBytes);

    public static string Encrypt(string plaintext, ReadOnlySpan<byte> dataKey, string tenantId, string fieldName)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        EnsureKeySize(dataKey);
        var associatedData = BuildAssociatedData(tenantId, fieldName);

        var plaintextBytes = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[NonceSizeInBytes + plaintextBytes.Length + TagSizeInBytes];
        try
        {
            var nonce = payload.AsSpan(0, NonceSizeInBytes);
            var ciphertext = payload.AsSpan(NonceSizeInBytes, plaintextBytes.Length);
            var tag = payload.AsSpan(NonceSizeInBytes + plaintextBytes.Length, TagSizeInBytes);
            RandomNumberGenerator.Fill(nonce);

            using var aes = new AesGcm(dataKey, TagSizeInBytes);
            aes.Encrypt(nonce, plaintextBytes, ciphertext, tag, associatedData);
            return VersionPrefix + Convert.ToBase64String(payload);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintextBytes);
        }
    }

    /// <exception cref="SecretDecryptionException">
    /// Unknown prefix, malformed payload, or authentication failure (tampering, another tenant or field, wrong key).
    /// </exception>
    public static string Decrypt(string ciphertext, ReadOnlySpan<byte> dataKey, string tenantId, string fieldName)
    {
        EnsureKeySize(dataKey);
        var associatedData = BuildAssociatedData(tenantId, fieldName);

        if (ciphertext is null || !ciphertext.StartsWith(VersionPrefix, StringComparison.Ordinal))
        {
            throw new SecretDecryptionException(SecretDecryptionFailure.UnsupportedFormat);
        }

        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(ciphertext[VersionPrefix.Length..]);
        }
        catch (FormatException)
        {
            throw new SecretDecryptionException(SecretDecryptionFailure.Malformed);
        }

        if (payload.Length < NonceSizeInBytes + TagSizeInBytes)
        {
            throw new SecretDecryptionException(SecretDecryptionFailure.Malformed);
        }

        var encryptedLength = payload.Length - NonceSizeInBytes - TagSizeInBytes;
        var nonce = payload.AsSpan(0, NonceSizeInBytes);
        var encrypted = payload.AsSpan(NonceSizeInBytes, encryptedLength);
        var tag = payload.AsSpan(NonceSizeInBytes + encryptedLength, TagSizeInBytes);
        var plaintextBytes = new byte[encryptedLength];
        try
        {
            using var aes = new AesGcm(dataKey, TagSizeInBytes);
            aes.Decrypt(nonce, encrypted, tag, plaintextBytes, associatedData);
            return Encoding.UTF8.GetString(plaintextBytes);
        }
        catch (CryptographicException ex)
        {
            throw new SecretDecryptionException(SecretDecryptionFailure.AuthenticationFailed, ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintextBytes);
        }
    }

    /// <summary>
    /// The associated data: a fixed label, then the UTF-8 tenant id and the UTF-8 field name, each preceded by its
    /// length as a 32-bit big-endian integer. Length prefixes make the encoding injective: ("ab", "c") and
    /// ("a", "bc") give different bytes, whatever characters the parts contain.
    /// </summary>
    public static byte[] BuildAssociatedData(string tenantId, string fieldName)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(fieldName);

        var tenantBytes = Encoding.UTF8.GetBytes(tenantId);
        var fieldBytes = Encoding.UTF8.GetBytes(fieldName);
        var result = new byte[4 + AssociatedDataLabel.Length + 4 + tenantBytes.Length + 4 + fieldBytes.Length];
        var span = result.AsSpan();
        span = WriteLengthPrefixed(span, AssociatedDataLabel);
        span = WriteLengthPrefixed(span, tenantBytes);
        WriteLengthPrefixed(span, fieldBytes);
        return result;
    }

    private static Span<byte> WriteLengthPrefixed(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, value.Length);
        value.CopyTo(destination[4..]);
        return destination[(4 + value.Length)..];
    }

    private static void EnsureKeySize(ReadOnlySpan<byte> dataKey)
    {
        if (dataKey.Length != DataKeySizeInBytes)
        {
            throw new ArgumentException($"The data key must be {DataKeySizeInBytes} bytes (AES-256).", nameof(dataKey));
        }
    }
}
