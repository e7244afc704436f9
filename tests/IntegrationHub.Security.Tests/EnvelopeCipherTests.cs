using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Security.Tests;

public sealed class EnvelopeCipherTests
{
    private const string Tenant = "tenant-7f3a";
    private const string Field = "CrispPluginToken";
    private readonly byte[] _dataKey = EnvelopeCipher.GenerateDataKey();

    [Theory]
    [InlineData("")]
    [InlineData("sk_live_51HdJ2x")]
    [InlineData("pässwörd – 秘密 🔑")]
    public void Decrypt_OutputOfEncrypt_ReturnsPlaintext(string plaintext)
    {
        var ciphertext = EnvelopeCipher.Encrypt(plaintext, _dataKey, Tenant, Field);

        Assert.Equal(plaintext, EnvelopeCipher.Decrypt(ciphertext, _dataKey, Tenant, Field));
    }

    [Fact]
    public void Decrypt_LongPlaintext_ReturnsPlaintext()
    {
        var plaintext = Convert.ToBase64String(RandomNumberGenerator.GetBytes(10_000));

        var ciphertext = EnvelopeCipher.Encrypt(plaintext, _dataKey, Tenant, Field);

        Assert.Equal(plaintext, EnvelopeCipher.Decrypt(ciphertext, _dataKey, Tenant, Field));
    }

    [Fact]
    public void Encrypt_Output_IsVersionPrefixedBase64OfNonceCiphertextAndTag()
    {
        const string plaintext = "hello secret";

        var ciphertext = EnvelopeCipher.Encrypt(plaintext, _dataKey, Tenant, Field);

        Assert.StartsWith("v1:", ciphertext, StringComparison.Ordinal);
        var payload = Convert.FromBase64String(ciphertext["v1:".Length..]);
        Assert.Equal(12 + Encoding.UTF8.GetByteCount(plaintext) + 16, payload.Length);
        Assert.DoesNotContain(plaintext, ciphertext, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_UsesFreshNonceEachTime()
    {
        var first = EnvelopeCipher.Encrypt("same", _dataKey, Tenant, Field);
        var second = EnvelopeCipher.Encrypt("same", _dataKey, Tenant, Field);

        Assert.NotEqual(first, second);
        Assert.NotEqual(Convert.FromBase64String(first[3..])[..12], Convert.FromBase64String(second[3..])[..12]);
    }

    [Theory]
    [InlineData("nonce")]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    public void Decrypt_AnyByteFlippedInRegion_ThrowsAuthenticationFailed(string region)
    {
        const string plaintext = "secret value";
        var ciphertext = EnvelopeCipher.Encrypt(plaintext, _dataKey, Tenant, Field);
        var payload = Convert.FromBase64String(ciphertext[3..]);
        var ciphertextLength = payload.Length - 12 - 16;
        var (start, length) = region switch
        {
            "nonce" => (0, 12),
            "ciphertext" => (12, ciphertextLength),
            _ => (12 + ciphertextLength, 16),
        };

        for (var i = start; i < start + length; i++)
        {
            var tampered = (byte[])payload.Clone();
            tampered[i] ^= 0x01;

            var ex = Assert.Throws<SecretDecryptionException>(() =>
                EnvelopeCipher.Decrypt("v1:" + Convert.ToBase64String(tampered), _dataKey, Tenant, Field));
            Assert.Equal(SecretDecryptionFailure.AuthenticationFailed, ex.Reason);
        }
    }

    [Fact]
    public void Decrypt_TruncatedTag_ThrowsAuthenticationFailed()
    {
        var payload = Convert.FromBase64String(EnvelopeCipher.Encrypt("secret value", _dataKey, Tenant, Field)[3..]);

        var ex = Assert.Throws<SecretDecryptionException>(() =>
            EnvelopeCipher.Decrypt("v1:" + Convert.ToBase64String(payload[..^1]), _dataKey, Tenant, Field));

        Assert.Equal(SecretDecryptionFailure.AuthenticationFailed, ex.Reason);
    }

    [Fact]
    public void Decrypt_AnotherTenant_ThrowsAuthenticationFailed()
    {
        var ciphertext = EnvelopeCipher.Encrypt("secret value", _dataKey, Tenant, Field);

        var ex = Assert.Throws<SecretDecryptionException>(() =>
            EnvelopeCipher.Decrypt(ciphertext, _dataKey, "tenant-other", Field));

        Assert.Equal(SecretDecryptionFailure.AuthenticationFailed, ex.Reason);
    }

    [Fact]
    public void Decrypt_AnotherField_ThrowsAuthenticationFailed()
    {
        var ciphertext = EnvelopeCipher.Encrypt("secret value", _dataKey, Tenant, Field);

        var ex = Assert.Throws<SecretDecryptionException>(() =>
            EnvelopeCipher.Decrypt(ciphertext, _dataKey, Tenant, "SmtpPassword"));

        Assert.Equal(SecretDecryptionFailure.AuthenticationFailed, ex.Reason);
    }

    [Fact]
    public void Decrypt_TenantAndFieldBoundaryShifted_ThrowsAuthenticationFailed()
    {
        var ciphertext = EnvelopeCipher.Encrypt("secret value", _dataKey, "tenant-ab", "cField");

        Assert.Throws<SecretDecryptionException>(() => EnvelopeCipher.Decrypt(ciphertext, _dataKey, "tenant-a", "bcField"));
        Assert.Throws<SecretDecryptionException>(() => EnvelopeCipher.Decrypt(ciphertext, _dataKey, "tenant-abc", "Field"));
    }

    [Fact]
    public void Decrypt_WrongDataKey_ThrowsAuthenticationFailed()
    {
        var ciphertext = EnvelopeCipher.Encrypt("secret value", _dataKey, Tenant, Field);

        var ex = Assert.Throws<SecretDecryptionException>(() =>
            EnvelopeCipher.Decrypt(ciphertext, EnvelopeCipher.GenerateDataKey(), Tenant, Field));

        Assert.Equal(SecretDecryptionFailure.AuthenticationFailed, ex.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("secret value")]
    [InlineData("v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("V1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Decrypt_UnknownPrefix_ThrowsUnsupportedFormat(string ciphertext)
    {
        var ex = Assert.Throws<SecretDecryptionException>(() => EnvelopeCipher.Decrypt(ciphertext, _dataKey, Tenant, Field));

        Assert.Equal(SecretDecryptionFailure.UnsupportedFormat, ex.Reason);
    }

    [Fact]
    public void Decrypt_Null_ThrowsUnsupportedFormat()
    {
        var ex = Assert.Throws<SecretDecryptionException>(() => EnvelopeCipher.Decrypt(null!, _dataKey, Tenant, Field));

        Assert.Equal(SecretDecryptionFailure.UnsupportedFormat, ex.Reason);
    }

    [Theory]
    [InlineData("v1:")]
    [InlineData("v1:not base64!")]
    [InlineData("v1:AAAA")]
    [InlineData("v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 27 bytes: one short of nonce + tag
    public void Decrypt_MalformedPayload_ThrowsMalformed(string ciphertext)
    {
        var ex = Assert.Throws<SecretDecryptionException>(() => EnvelopeCipher.Decrypt(ciphertext, _dataKey, Tenant, Field));

        Assert.Equal(SecretDecryptionFailure.Malformed, ex.Reason);
    }

    [Fact]
    public void Decrypt_Failure_MessageHoldsNoPlaintextCiphertextOrKey()
    {
        const string plaintext = "very-secret-token-123";
        var ciphertext = EnvelopeCipher.Encrypt(plaintext, _dataKey, Tenant, Field);

        var ex = Assert.Throws<SecretDecryptionException>(() =>
            EnvelopeCipher.Decrypt(ciphertext, EnvelopeCipher.GenerateDataKey(), Tenant, Field));

        var text = ex.ToString();
        Assert.DoesNotContain(plaintext, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ciphertext[3..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(_dataKey), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(_dataKey), text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(33)]
    public void Encrypt_DataKeyNot256Bits_ThrowsArgumentException(int keyLength)
    {
        Assert.Throws<ArgumentException>(() => EnvelopeCipher.Encrypt("x", new byte[keyLength], Tenant, Field));
    }

    [Theory]
    [InlineData("", Field)]
    [InlineData(Tenant, "")]
    public void Encrypt_EmptyTenantOrField_ThrowsArgumentException(string tenantId, string fieldName)
    {
        Assert.Throws<ArgumentException>(() => EnvelopeCipher.Encrypt("x", _dataKey, tenantId, fieldName));
    }

    [Fact]
    public void GenerateDataKey_CalledTwice_ReturnsDistinct256BitKeys()
    {
        var first = EnvelopeCipher.GenerateDataKey();
        var second = EnvelopeCipher.GenerateDataKey();

        Assert.Equal(32, first.Length);
        Assert.Equal(32, second.Length);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("ab", "c", "a", "bc")]
    [InlineData("a|b", "c", "a", "b|c")]
    [InlineData("a\0", "b", "a", "\0b")]
    [InlineData("t", "field", "T", "field")]
    public void BuildAssociatedData_DifferentTenantFieldSplits_ProduceDifferentBytes(
        string tenantA, string fieldA, string tenantB, string fieldB)
    {
        Assert.NotEqual(
            EnvelopeCipher.BuildAssociatedData(tenantA, fieldA),
            EnvelopeCipher.BuildAssociatedData(tenantB, fieldB));
    }

    [Fact]
    public void BuildAssociatedData_SameInputs_IsDeterministic()
    {
        Assert.Equal(EnvelopeCipher.BuildAssociatedData(Tenant, Field), EnvelopeCipher.BuildAssociatedData(Tenant, Field));
    }
}
