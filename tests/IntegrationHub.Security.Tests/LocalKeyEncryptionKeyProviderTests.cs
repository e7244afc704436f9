using System.Security.Cryptography;
using System.Text.Json;

namespace IntegrationHub.Security.Tests;

public sealed class LocalKeyEncryptionKeyProviderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string KeyPath => Path.Combine(_directory.Path, "keys", "kek.json");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task UnwrapAsync_OutputOfWrapAsync_ReturnsDataKey()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        var dataKey = EnvelopeCipher.GenerateDataKey();

        var wrapped = await provider.WrapAsync(dataKey);

        Assert.Equal("Local", wrapped.ProviderName);
        Assert.Equal(await provider.GetCurrentKeyIdAsync(), wrapped.KeyId);
        Assert.Equal(12 + 32 + 16, wrapped.Ciphertext.Length);
        Assert.False(wrapped.Ciphertext.Span.IndexOf(dataKey) >= 0);
        Assert.Equal(dataKey, await provider.UnwrapAsync(wrapped));
    }

    [Fact]
    public async Task WrapAsync_SameDataKeyTwice_ProducesDifferentWrappedBytes()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        var dataKey = EnvelopeCipher.GenerateDataKey();

        var first = await provider.WrapAsync(dataKey);
        var second = await provider.WrapAsync(dataKey);

        Assert.NotEqual(first.Ciphertext.ToArray(), second.Ciphertext.ToArray());
    }

    [Fact]
    public async Task WrapAsync_FirstUse_CreatesKeyFileReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes are checked on Unix; CI runs on Linux.");
        }

        Assert.False(Directory.Exists(Path.GetDirectoryName(KeyPath)));
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);

        await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        Assert.True(File.Exists(KeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath + ".lock"));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(KeyPath)!));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(KeyPath)!, "*.tmp"));
    }

    [Fact]
    public async Task RotateAsync_Always_KeepsKeyFileReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes are checked on Unix; CI runs on Linux.");
        }

        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        await provider.RotateAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
    }

    [Fact]
    public async Task UnwrapAsync_SecondInstanceOnSameFile_ReturnsDataKeyWrappedByFirst()
    {
        var dataKey = EnvelopeCipher.GenerateDataKey();
        WrappedKey wrapped;
        string firstKeyId;
        using (var first = new LocalKeyEncryptionKeyProvider(KeyPath))
        {
            wrapped = await first.WrapAsync(dataKey);
            firstKeyId = await first.GetCurrentKeyIdAsync();
        }

        using var second = new LocalKeyEncryptionKeyProvider(KeyPath);

        Assert.Equal(firstKeyId, await second.GetCurrentKeyIdAsync());
        Assert.Equal(dataKey, await second.UnwrapAsync(wrapped));
    }

    [Fact]
    public async Task WrapAsync_TwoInstancesRacingOnFirstUse_ShareOneKeyRing()
    {
        using var first = new LocalKeyEncryptionKeyProvider(KeyPath);
        using var second = new LocalKeyEncryptionKeyProvider(KeyPath);
        var dataKey = EnvelopeCipher.GenerateDataKey();

        var wrapped = await Task.WhenAll(
            Task.Run(() => first.WrapAsync(dataKey)),
            Task.Run(() => second.WrapAsync(dataKey)));

        Assert.Equal(wrapped[0].KeyId, wrapped[1].KeyId);
        Assert.Single(await first.GetKeyIdsAsync());
        Assert.Equal(dataKey, await first.UnwrapAsync(wrapped[1]));
        Assert.Equal(dataKey, await second.UnwrapAsync(wrapped[0]));
    }

    [Fact]
    public async Task RotateAsync_AfterWrap_OldWrappedKeyStillUnwrapsAndRewrapMovesItToNewKey()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        var dataKey = EnvelopeCipher.GenerateDataKey();
        var secret = EnvelopeCipher.Encrypt("crisp-token", dataKey, "tenant-1", "CrispToken");
        var oldWrapped = await provider.WrapAsync(dataKey);

        var newKeyId = await provider.RotateAsync();

        Assert.NotEqual(oldWrapped.KeyId, newKeyId);
        Assert.Equal(newKeyId, await provider.GetCurrentKeyIdAsync());
        Assert.Equal([oldWrapped.KeyId, newKeyId], await provider.GetKeyIdsAsync());
        Assert.Equal(dataKey, await provider.UnwrapAsync(oldWrapped));
        Assert.False(await provider.IsWrappedUnderCurrentKeyAsync(oldWrapped));

        var rewrapped = await provider.RewrapAsync(oldWrapped);

        Assert.Equal(newKeyId, rewrapped.KeyId);
        Assert.True(await provider.IsWrappedUnderCurrentKeyAsync(rewrapped));
        var unwrapped = await provider.UnwrapAsync(rewrapped);
        Assert.Equal(dataKey, unwrapped);
        Assert.Equal("crisp-token", EnvelopeCipher.Decrypt(secret, unwrapped, "tenant-1", "CrispToken"));
    }

    [Fact]
    public async Task WrapAsync_AfterRotation_UsesNewCurrentKey()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        var newKeyId = await provider.RotateAsync();
        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        Assert.Equal(newKeyId, wrapped.KeyId);
    }

    [Fact]
    public async Task RotateAsync_ThenNewInstance_SeesAllKeysAndNewCurrent()
    {
        var dataKey = EnvelopeCipher.GenerateDataKey();
        WrappedKey oldWrapped;
        string newKeyId;
        using (var first = new LocalKeyEncryptionKeyProvider(KeyPath))
        {
            oldWrapped = await first.WrapAsync(dataKey);
            newKeyId = await first.RotateAsync();
        }

        using var second = new LocalKeyEncryptionKeyProvider(KeyPath);

        Assert.Equal(newKeyId, await second.GetCurrentKeyIdAsync());
        Assert.Equal(dataKey, await second.UnwrapAsync(oldWrapped));
    }

    [Fact]
    public async Task UnwrapAsync_KeyRotatedByAnotherInstance_ReloadsRing()
    {
        using var reader = new LocalKeyEncryptionKeyProvider(KeyPath);
        using var rotator = new LocalKeyEncryptionKeyProvider(KeyPath);
        var oldKeyId = await reader.GetCurrentKeyIdAsync();
        var dataKey = EnvelopeCipher.GenerateDataKey();

        var newKeyId = await rotator.RotateAsync();
        var wrapped = await rotator.WrapAsync(dataKey);

        Assert.NotEqual(oldKeyId, newKeyId);
        Assert.Equal(dataKey, await reader.UnwrapAsync(wrapped));
        Assert.Equal(newKeyId, await reader.GetCurrentKeyIdAsync());
    }

    [Fact]
    public async Task UnwrapAsync_TamperedWrappedBytes_ThrowsKeyEncryptionKeyException()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        var dataKey = EnvelopeCipher.GenerateDataKey();
        var wrapped = await provider.WrapAsync(dataKey);
        var bytes = wrapped.Ciphertext.ToArray();

        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x80;

            var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() =>
                provider.UnwrapAsync(new WrappedKey(wrapped.ProviderName, wrapped.KeyId, tampered)));
            Assert.DoesNotContain(Convert.ToBase64String(dataKey), ex.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnwrapAsync_WrappedBytesRelabelledWithAnotherKeyId_ThrowsKeyEncryptionKeyException()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());
        var newKeyId = await provider.RotateAsync();

        await Assert.ThrowsAsync<KeyEncryptionKeyException>(() =>
            provider.UnwrapAsync(new WrappedKey(wrapped.ProviderName, newKeyId, wrapped.Ciphertext.Span)));
    }

    [Fact]
    public async Task UnwrapAsync_UnknownKeyId_ThrowsKeyEncryptionKeyExceptionNamingIt()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() =>
            provider.UnwrapAsync(new WrappedKey("Local", "20200101T000000Z-deadbeef", wrapped.Ciphertext.Span)));

        Assert.Contains("20200101T000000Z-deadbeef", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwrapAsync_KeyWrappedByAnotherProvider_ThrowsKeyEncryptionKeyException()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() =>
            provider.UnwrapAsync(new WrappedKey("AzureKeyVault", wrapped.KeyId, wrapped.Ciphertext.Span)));

        Assert.Contains("AzureKeyVault", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrapAsync_KeyFileNotJson_ThrowsKeyEncryptionKeyException()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        await File.WriteAllTextAsync(KeyPath, "not a key ring");
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.WrapAsync(EnvelopeCipher.GenerateDataKey()));

        Assert.Contains(KeyPath, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrapAsync_KeyFileWithShortKey_ThrowsKeyEncryptionKeyException()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        var shortKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(
            KeyPath, $$"""{"version":1,"currentKeyId":"k1","keys":[{"id":"k1","createdAt":"2026-01-01T00:00:00Z","key":"{{shortKey}}"}]}""");
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.WrapAsync(EnvelopeCipher.GenerateDataKey()));

        Assert.DoesNotContain(shortKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToString_AfterKeysLoaded_RedactsKeyMaterial()
    {
        using var provider = new LocalKeyEncryptionKeyProvider(KeyPath);
        await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());
        using var ring = JsonDocument.Parse(await File.ReadAllTextAsync(KeyPath));
        var kek = ring.RootElement.GetProperty("keys")[0].GetProperty("key").GetString()!;

        var text = provider.ToString();

        Assert.Equal(32, Convert.FromBase64String(kek).Length);
        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(kek, text, StringComparison.Ordinal);
    }
}
