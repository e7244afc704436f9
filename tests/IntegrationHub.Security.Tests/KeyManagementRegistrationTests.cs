using Azure.Core;
using IntegrationHub.Security.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Security.Tests;

public sealed class KeyManagementRegistrationTests : IDisposable
{
    private readonly TempDirectory _dataDirectory = new();

    public void Dispose() => _dataDirectory.Dispose();

    [Fact]
    public async Task AddKeyManagement_NoConfiguration_UsesLocalProviderUnderDataDirectory()
    {
        using var host = BuildHost([]);

        await host.StartAsync();
        var provider = host.Services.GetRequiredService<IKeyEncryptionKeyProvider>();
        var local = Assert.IsType<LocalKeyEncryptionKeyProvider>(provider);
        var dataKey = EnvelopeCipher.GenerateDataKey();
        var wrapped = await provider.WrapAsync(dataKey);
        await host.StopAsync();

        Assert.Equal("Local", host.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.Provider);
        Assert.Equal(Path.Combine(_dataDirectory.Path, "keys", "kek.json"), local.KeyPath);
        Assert.True(File.Exists(local.KeyPath));
        Assert.Equal(dataKey, await provider.UnwrapAsync(wrapped));
    }

    [Fact]
    public async Task AddKeyManagement_RelativeLocalKeyPath_ResolvesAgainstDataDirectory()
    {
        using var host = BuildHost(new() { ["KeyManagement:Local:KeyPath"] = "secrets/ring.json" });

        await host.StartAsync();
        var local = Assert.IsType<LocalKeyEncryptionKeyProvider>(host.Services.GetRequiredService<IKeyEncryptionKeyProvider>());
        await host.StopAsync();

        Assert.Equal(Path.Combine(_dataDirectory.Path, "secrets", "ring.json"), local.KeyPath);
    }

    [Fact]
    public async Task AddKeyManagement_AbsoluteLocalKeyPath_UsesItAsIs()
    {
        using var elsewhere = new TempDirectory();
        var keyPath = Path.Combine(elsewhere.Path, "kek.json");
        using var host = BuildHost(new() { ["KeyManagement:Local:KeyPath"] = keyPath });

        await host.StartAsync();
        var local = Assert.IsType<LocalKeyEncryptionKeyProvider>(host.Services.GetRequiredService<IKeyEncryptionKeyProvider>());
        await host.StopAsync();

        Assert.Equal(keyPath, local.KeyPath);
    }

    [Fact]
    public async Task AddKeyManagement_UnknownProvider_FailsOnStartNamingAllowedValues()
    {
        using var host = BuildHost(new() { ["KeyManagement:Provider"] = "Vault9000" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        var failure = Assert.Single(ex.Failures);
        Assert.Contains("Vault9000", failure, StringComparison.Ordinal);
        Assert.Contains("Local", failure, StringComparison.Ordinal);
        Assert.Contains("AzureKeyVault", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddKeyManagement_AzureKeyVaultWithoutVaultUrlOrKeyName_FailsOnStart()
    {
        using var host = BuildHost(new() { ["KeyManagement:Provider"] = "AzureKeyVault" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("KeyManagement:AzureKeyVault:VaultUrl", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("KeyManagement:AzureKeyVault:KeyName", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddKeyManagement_AzureKeyVaultWithHttpVaultUrl_FailsOnStart()
    {
        using var host = BuildHost(new()
        {
            ["KeyManagement:Provider"] = "AzureKeyVault",
            ["KeyManagement:AzureKeyVault:VaultUrl"] = "http://my-vault.vault.azure.net",
            ["KeyManagement:AzureKeyVault:KeyName"] = "hub-kek",
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("https", Assert.Single(ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddKeyManagement_AzureKeyVaultConfigured_ResolvesAzureProviderThatRoundTrips()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        var credential = new FakeTokenCredential();
        using var host = BuildHost(
            new()
            {
                ["KeyManagement:Provider"] = "AzureKeyVault",
                ["KeyManagement:AzureKeyVault:VaultUrl"] = vault.VaultUri.ToString(),
                ["KeyManagement:AzureKeyVault:KeyName"] = vault.KeyName,
            },
            services =>
            {
                services.AddSingleton<TokenCredential>(credential);
                services.AddSingleton(vault.CreateClientOptions());
            });

        await host.StartAsync();
        var provider = host.Services.GetRequiredService<IKeyEncryptionKeyProvider>();
        var dataKey = EnvelopeCipher.GenerateDataKey();
        var unwrapped = await provider.UnwrapAsync(await provider.WrapAsync(dataKey));
        await host.StopAsync();

        Assert.IsType<AzureKeyVaultKeyEncryptionKeyProvider>(provider);
        Assert.Equal(dataKey, unwrapped);
        Assert.All(vault.Requests, r => Assert.Equal("Bearer " + credential.Token, r.Authorization));
    }

    [Theory]
    [InlineData("Local", null, null, null, true)]
    [InlineData("local", null, null, null, true)]
    [InlineData("AzureKeyVault", "https://v.vault.azure.net", "hub-kek", null, true)]
    [InlineData("AzureKeyVault", "https://v.vault.azure.net/", "hub-kek", "0123456789abcdef0123456789abcdef", true)]
    [InlineData("AzureKeyVault", "https://v.vault.azure.net/keys", "hub-kek", null, false)]
    [InlineData("AzureKeyVault", "https://v.vault.azure.net?x=1", "hub-kek", null, false)]
    [InlineData("AzureKeyVault", "v.vault.azure.net", "hub-kek", null, false)]
    [InlineData("AzureKeyVault", "https://v.vault.azure.net", "hub kek", null, false)]
    [InlineData("AzureKeyVault", "https://v.vault.azure.net", "hub-kek", "../x", false)]
    [InlineData("", null, null, null, false)]
    public void Validate_Options_ReturnsExpectedOutcome(
        string provider, string? vaultUrl, string? keyName, string? keyVersion, bool valid)
    {
        var options = new KeyManagementOptions
        {
            Provider = provider,
            Local = { KeyPath = "/var/lib/hub/keys/kek.json" },
            AzureKeyVault = { VaultUrl = vaultUrl, KeyName = keyName, KeyVersion = keyVersion },
        };

        var result = new KeyManagementOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void Validate_LocalWithoutKeyPath_Fails()
    {
        var result = new KeyManagementOptionsValidator().Validate(null, new KeyManagementOptions());

        Assert.True(result.Failed);
        Assert.Contains("KeyManagement:Local:KeyPath", result.FailureMessage, StringComparison.Ordinal);
    }

    private IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddKeyManagement(builder.Configuration, _dataDirectory.Path);
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
