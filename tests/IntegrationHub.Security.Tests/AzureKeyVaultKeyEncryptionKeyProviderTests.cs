using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.Security.Tests.Fakes;

namespace IntegrationHub.Security.Tests;

public sealed class AzureKeyVaultKeyEncryptionKeyProviderTests : IAsyncLifetime
{
    private readonly FakeTokenCredential _credential = new();
    private FakeKeyVault _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVault.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private AzureKeyVaultKeyEncryptionKeyProvider CreateProvider(string? keyVersion = null) =>
        new(
            new AzureKeyVaultKeyOptions
            {
                VaultUrl = _vault.VaultUri.ToString(),
                KeyName = _vault.KeyName,
                KeyVersion = keyVersion,
            },
            _credential,
            _vault.CreateClientOptions());

    [Fact]
    public async Task UnwrapAsync_OutputOfWrapAsync_RoundTripsThroughRealRsaOaep256()
    {
        var provider = CreateProvider();
        var dataKey = EnvelopeCipher.GenerateDataKey();

        var wrapped = await provider.WrapAsync(dataKey);
        var unwrapped = await provider.UnwrapAsync(wrapped);

        Assert.Equal("AzureKeyVault", wrapped.ProviderName);
        Assert.Equal(256, wrapped.Ciphertext.Length);
        Assert.Equal(
            dataKey,
            _vault.DecryptWithPrivateKey(_vault.CurrentVersion, wrapped.Ciphertext.Span, RSAEncryptionPadding.OaepSHA256));
        Assert.ThrowsAny<CryptographicException>(() =>
            _vault.DecryptWithPrivateKey(_vault.CurrentVersion, wrapped.Ciphertext.Span, RSAEncryptionPadding.OaepSHA1));
        Assert.Equal(dataKey, unwrapped);
        Assert.Equal((_vault.CurrentVersion, 32), Assert.Single(_vault.Unwraps));
    }

    [Fact]
    public async Task WrapAsync_Always_SendsBearerTokenForVaultScopeWithApiVersion74()
    {
        var provider = CreateProvider();
        var dataKey = EnvelopeCipher.GenerateDataKey();

        await provider.WrapAsync(dataKey);

        var request = Assert.Single(_vault.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/keys/{_vault.KeyName}/wrapkey", request.Path);
        Assert.Equal("7.4", request.ApiVersion);
        Assert.Equal("Bearer " + _credential.Token, request.Authorization);
        Assert.Contains(_credential.RequestedScopes, scopes => scopes.SequenceEqual(["https://vault.azure.net/.default"]));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("RSA-OAEP-256", body.RootElement.GetProperty("alg").GetString());
        Assert.Equal(dataKey, Base64Url.DecodeFromChars(body.RootElement.GetProperty("value").GetString()));
    }

    [Fact]
    public async Task WrapAsync_NoVersionConfigured_RecordsVersionedKidFromResponse()
    {
        var provider = CreateProvider();

        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        Assert.Equal(_vault.KidFor(_vault.CurrentVersion), wrapped.KeyId);
    }

    [Fact]
    public async Task UnwrapAsync_AfterVaultKeyRotated_UsesVersionRecordedAtWrapTime()
    {
        var provider = CreateProvider();
        var dataKey = EnvelopeCipher.GenerateDataKey();
        var oldVersion = _vault.CurrentVersion;
        var oldWrapped = await provider.WrapAsync(dataKey);

        var newVersion = _vault.RotateKey();
        var unwrapped = await provider.UnwrapAsync(oldWrapped);

        Assert.NotEqual(oldVersion, newVersion);
        Assert.Equal(dataKey, unwrapped);
        var unwrapRequest = _vault.Requests.Last();
        Assert.Equal($"/keys/{_vault.KeyName}/{oldVersion}/unwrapkey", unwrapRequest.Path);
        Assert.Equal("Bearer " + _credential.Token, unwrapRequest.Authorization);
        Assert.Equal("7.4", unwrapRequest.ApiVersion);
        Assert.Equal((oldVersion, 32), Assert.Single(_vault.Unwraps));
    }

    [Fact]
    public async Task RewrapAsync_AfterVaultKeyRotated_MovesDataKeyToNewVersion()
    {
        var provider = CreateProvider();
        var dataKey = EnvelopeCipher.GenerateDataKey();
        var oldWrapped = await provider.WrapAsync(dataKey);
        var newVersion = _vault.RotateKey();

        Assert.Equal(_vault.KidFor(newVersion), await provider.GetCurrentKeyIdAsync());
        Assert.False(await provider.IsWrappedUnderCurrentKeyAsync(oldWrapped));

        var rewrapped = await provider.RewrapAsync(oldWrapped);

        Assert.Equal(_vault.KidFor(newVersion), rewrapped.KeyId);
        Assert.True(await provider.IsWrappedUnderCurrentKeyAsync(rewrapped));
        Assert.Equal(dataKey, _vault.DecryptWithPrivateKey(newVersion, rewrapped.Ciphertext.Span, RSAEncryptionPadding.OaepSHA256));
        Assert.Equal(dataKey, await provider.UnwrapAsync(rewrapped));
    }

    [Fact]
    public async Task WrapAsync_VersionConfigured_WrapsWithThatVersionEvenAfterRotation()
    {
        var pinned = _vault.CurrentVersion;
        var provider = CreateProvider(keyVersion: pinned);
        _vault.RotateKey();

        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());

        Assert.Equal($"/keys/{_vault.KeyName}/{pinned}/wrapkey", Assert.Single(_vault.Requests).Path);
        Assert.Equal(_vault.KidFor(pinned), wrapped.KeyId);
        Assert.Equal(_vault.KidFor(pinned), await provider.GetCurrentKeyIdAsync());
        Assert.Single(_vault.Requests);
    }

    [Fact]
    public async Task WrapAsync_KeyVaultAnswers403_ThrowsClearExceptionWithoutDataKey()
    {
        var provider = CreateProvider();
        var dataKey = EnvelopeCipher.GenerateDataKey();
        _vault.FailWithStatus = 403;

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.WrapAsync(dataKey));

        Assert.Equal(403, ex.StatusCode);
        Assert.Equal("Forbidden", ex.ErrorCode);
        Assert.Contains("wrapKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_vault.KeyName, ex.Message, StringComparison.Ordinal);
        Assert.Contains("permission", ex.Message, StringComparison.Ordinal);
        AssertHoldsNoKeyMaterial(ex, dataKey);
    }

    [Fact]
    public async Task UnwrapAsync_KeyVaultAnswers403_ThrowsClearExceptionWithoutKeyMaterial()
    {
        var provider = CreateProvider();
        var dataKey = EnvelopeCipher.GenerateDataKey();
        var wrapped = await provider.WrapAsync(dataKey);
        _vault.FailWithStatus = 403;

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.UnwrapAsync(wrapped));

        Assert.Equal(403, ex.StatusCode);
        Assert.Contains("unwrapKey", ex.Message, StringComparison.Ordinal);
        AssertHoldsNoKeyMaterial(ex, dataKey);
        AssertHoldsNoKeyMaterial(ex, wrapped.Ciphertext.ToArray());
    }

    [Fact]
    public async Task UnwrapAsync_TamperedWrappedBytes_ThrowsKeyEncryptionKeyException()
    {
        var provider = CreateProvider();
        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());
        var tampered = wrapped.Ciphertext.ToArray();
        tampered[100] ^= 0x01;

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() =>
            provider.UnwrapAsync(new WrappedKey(wrapped.ProviderName, wrapped.KeyId, tampered)));

        Assert.Equal(400, ex.StatusCode);
        Assert.Empty(_vault.Unwraps);
    }

    [Theory]
    [InlineData("https://evil.example/keys/hub-kek/0123456789abcdef0123456789abcdef")]
    [InlineData("http://127.0.0.1/keys/hub-kek/0123456789abcdef0123456789abcdef")]
    [InlineData("not a url")]
    public async Task UnwrapAsync_KidOutsideConfiguredVault_ThrowsWithoutSendingRequest(string kid)
    {
        var provider = CreateProvider();

        await Assert.ThrowsAsync<KeyEncryptionKeyException>(() =>
            provider.UnwrapAsync(new WrappedKey("AzureKeyVault", kid, RandomNumberGenerator.GetBytes(256))));

        Assert.Empty(_vault.Requests);
        Assert.Empty(_credential.RequestedScopes);
    }

    [Fact]
    public async Task UnwrapAsync_KidWithoutVersion_ThrowsWithoutSendingRequest()
    {
        var provider = CreateProvider();

        await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.UnwrapAsync(
            new WrappedKey("AzureKeyVault", $"{_vault.VaultUri.GetLeftPart(UriPartial.Authority)}/keys/{_vault.KeyName}", [1, 2, 3])));

        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task UnwrapAsync_KeyWrappedByLocalProvider_ThrowsKeyEncryptionKeyException()
    {
        var provider = CreateProvider();

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() =>
            provider.UnwrapAsync(new WrappedKey("Local", _vault.KidFor(_vault.CurrentVersion), [1, 2, 3])));

        Assert.Contains("Local", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_vault.Requests);
    }

    [Fact]
    public async Task GetCurrentKeyIdAsync_NoVersionConfigured_ReadsCurrentVersionFromVault()
    {
        var provider = CreateProvider();

        var keyId = await provider.GetCurrentKeyIdAsync();

        Assert.Equal(_vault.KidFor(_vault.CurrentVersion), keyId);
        var request = Assert.Single(_vault.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal($"/keys/{_vault.KeyName}", request.Path);
        Assert.Equal("Bearer " + _credential.Token, request.Authorization);
    }

    [Fact]
    public async Task WrapAsync_VaultUnreachable_ThrowsKeyEncryptionKeyException()
    {
        var provider = CreateProvider();
        await _vault.DisposeAsync();

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.WrapAsync(EnvelopeCipher.GenerateDataKey()));

        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
        _vault = await FakeKeyVault.StartAsync();
    }

    [Fact]
    public async Task UnwrapAsync_VaultUnreachableAfterRetries_ThrowsKeyEncryptionKeyException()
    {
        // The pipeline's own retries (on by default) end in an AggregateException of each try's failure: it must
        // still be the provider's one exception type, which callers (keys rotate, keys verify) name and skip.
        var options = _vault.CreateClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var provider = new AzureKeyVaultKeyEncryptionKeyProvider(
            new AzureKeyVaultKeyOptions { VaultUrl = _vault.VaultUri.ToString(), KeyName = _vault.KeyName }, _credential, options);
        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());
        await _vault.DisposeAsync();

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.UnwrapAsync(wrapped));

        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
        _vault = await FakeKeyVault.StartAsync();
    }

    [Fact]
    public async Task UnwrapAsync_VaultHangsPastNetworkTimeout_ThrowsKeyEncryptionKeyException()
    {
        var wrapped = await CreateProvider().WrapAsync(EnvelopeCipher.GenerateDataKey());
        var options = _vault.CreateClientOptions();
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(1);
        var provider = new AzureKeyVaultKeyEncryptionKeyProvider(
            new AzureKeyVaultKeyOptions { VaultUrl = _vault.VaultUri.ToString(), KeyName = _vault.KeyName }, _credential, options);
        _vault.Delay = TimeSpan.FromSeconds(30);

        var ex = await Assert.ThrowsAsync<KeyEncryptionKeyException>(() => provider.UnwrapAsync(wrapped));

        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwrapAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var provider = CreateProvider();
        var wrapped = await provider.WrapAsync(EnvelopeCipher.GenerateDataKey());
        _vault.Delay = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => provider.UnwrapAsync(wrapped, cancel.Token));
    }

    [Fact]
    public void Constructor_NoClientOptions_BoundsEachTryWellBelowTheSdkDefault()
    {
        // Azure.Core's default (100 s a try, 3 retries) would hold a settings page or a hook for minutes on a vault that hangs.
        var provider = new AzureKeyVaultKeyEncryptionKeyProvider(
            new AzureKeyVaultKeyOptions { VaultUrl = "https://my-vault.vault.azure.net", KeyName = "hub-kek" }, _credential);

        Assert.True(provider.NetworkTimeout <= TimeSpan.FromSeconds(10), $"network timeout {provider.NetworkTimeout}");
    }

    [Theory]
    [InlineData("http://my-vault.vault.azure.net", "hub-kek")]
    [InlineData("https://my-vault.vault.azure.net", null)]
    [InlineData(null, "hub-kek")]
    [InlineData("https://my-vault.vault.azure.net", "bad/name")]
    public void Constructor_InvalidOptions_ThrowsArgumentException(string? vaultUrl, string? keyName)
    {
        Assert.Throws<ArgumentException>(() => new AzureKeyVaultKeyEncryptionKeyProvider(
            new AzureKeyVaultKeyOptions { VaultUrl = vaultUrl, KeyName = keyName }, _credential));
    }

    [Fact]
    public void ToString_Always_NamesVaultAndKeyOnly()
    {
        var provider = CreateProvider();

        var text = provider.ToString();

        Assert.Contains(_vault.KeyName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_credential.Token, text, StringComparison.Ordinal);
    }

    private static void AssertHoldsNoKeyMaterial(Exception ex, byte[] key)
    {
        var text = ex.ToString();
        Assert.DoesNotContain(Convert.ToBase64String(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64Url.EncodeToString(key), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(key), text, StringComparison.OrdinalIgnoreCase);
    }
}
