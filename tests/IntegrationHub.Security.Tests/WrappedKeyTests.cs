using System.Security.Cryptography;

namespace IntegrationHub.Security.Tests;

public sealed class WrappedKeyTests
{
    [Fact]
    public void Parse_OutputOfFormat_ReturnsEqualKey()
    {
        var original = new WrappedKey(
            "AzureKeyVault", "https://v.vault.azure.net/keys/hub-kek/0123abcd.x:y", RandomNumberGenerator.GetBytes(256));

        var parsed = WrappedKey.Parse(original.Format());

        Assert.Equal(original, parsed);
        Assert.Equal(original.KeyId, parsed.KeyId);
        Assert.Equal(original.ProviderName, parsed.ProviderName);
        Assert.Equal(original.Ciphertext.ToArray(), parsed.Ciphertext.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("wk2.AA.AA.AA")]
    [InlineData("wk1.AA.AA")]
    [InlineData("wk1.TG9jYWw.a2V5.")]
    [InlineData("wk1.TG9jYWw.a2V5.*")]
    public void Parse_InvalidText_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => WrappedKey.Parse(text));
    }

    [Fact]
    public void ToString_Always_RedactsWrappedBytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(60);
        var wrapped = new WrappedKey("Local", "key-1", bytes);

        var text = wrapped.ToString();

        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        Assert.Contains("key-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(bytes), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(bytes), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Constructor_CallerArrayChangedAfterwards_KeepsOwnCopy()
    {
        var bytes = new byte[] { 1, 2, 3 };
        var wrapped = new WrappedKey("Local", "key-1", bytes);

        bytes[0] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, wrapped.Ciphertext.ToArray());
    }
}
