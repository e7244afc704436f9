using IntegrationHub.Security.Configuration;
using IntegrationHub.Security.Tests.Fakes;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Security.Tests;

public sealed class KeyVaultSecretsConfigurationTests : IAsyncLifetime
{
    private const string PluginKey = "crisp-plugin-key-4f1d9a0b7c";
    private const string HookSecret = "crisp-hook-secret-88e2c1d0";

    private readonly FakeTokenCredential _credential = new();
    private FakeKeyVaultSecrets _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVaultSecrets.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private IConfigurationRoot Build(Dictionary<string, string?> settings)
    {
        var builder = new ConfigurationBuilder().AddInMemoryCollection(settings);
        builder.AddHubKeyVaultSecrets(_credential, _vault.CreateClientOptions());
        return builder.Build();
    }

    private Dictionary<string, string?> VaultSettings() => new() { ["KeyVault:SecretsUri"] = _vault.VaultUri.ToString() };

    [Fact]
    public void AddHubKeyVaultSecrets_DoubleDashInName_BecomesSectionDelimiter()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        _vault.SetSecret("Crisp--HookSecret", HookSecret);
        _vault.SetSecret("ConnectionStrings--Hub", "Host=db;Password=pw-from-vault");

        using var configuration = (ConfigurationRoot)Build(VaultSettings());

        Assert.Equal(PluginKey, configuration["Crisp:PluginKey"]);
        Assert.Equal(HookSecret, configuration.GetSection("Crisp")["HookSecret"]);
        Assert.Equal("Host=db;Password=pw-from-vault", configuration.GetConnectionString("Hub"));
        Assert.Null(configuration["Crisp--PluginKey"]);
    }

    [Fact]
    public void AddHubKeyVaultSecrets_Always_AuthenticatesWithVaultScopeAfterChallenge()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);

        using var configuration = (ConfigurationRoot)Build(VaultSettings());

        Assert.Contains(_credential.RequestedScopes, scopes => scopes.SequenceEqual(["https://vault.azure.net/.default"]));
        var authenticated = _vault.Requests.Where(r => r.Authorization is not null).ToList();
        Assert.NotEmpty(authenticated);
        Assert.All(authenticated, r => Assert.Equal("Bearer " + _credential.Token, r.Authorization));
        Assert.All(_vault.Requests, r => Assert.False(string.IsNullOrEmpty(r.ApiVersion)));
        Assert.Contains(_vault.Requests, r => r.Authorization is not null && r.Path.StartsWith("/secrets/Crisp--PluginKey", StringComparison.Ordinal));
    }

    [Fact]
    public void AddHubKeyVaultSecrets_DisabledSecret_IsSkippedAndNeverFetched()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        _vault.SetSecret("Crisp--PreviousHookSecret", "old-hook-secret-disabled", enabled: false);

        using var configuration = (ConfigurationRoot)Build(VaultSettings());

        Assert.Equal(PluginKey, configuration["Crisp:PluginKey"]);
        Assert.Null(configuration["Crisp:PreviousHookSecret"]);
        Assert.DoesNotContain(_vault.Requests, r => r.Path.StartsWith("/secrets/Crisp--PreviousHookSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void AddHubKeyVaultSecrets_PrefixSet_LoadsOnlyPrefixedSecretsWithPrefixRemoved()
    {
        _vault.SetSecret("Hub-Crisp--PluginKey", PluginKey);
        _vault.SetSecret("Other-Crisp--PluginKey", "another-apps-key");
        _vault.SetSecret("Crisp--HookSecret", HookSecret);
        _vault.SetSecret("Hub-", "name-is-only-the-prefix");
        var settings = VaultSettings();
        settings["KeyVault:Prefix"] = "Hub-";

        using var configuration = (ConfigurationRoot)Build(settings);

        Assert.Equal(PluginKey, configuration["Crisp:PluginKey"]);
        Assert.Null(configuration["Crisp:HookSecret"]);
        Assert.Null(configuration["Hub-Crisp:PluginKey"]);
        Assert.DoesNotContain(configuration.AsEnumerable(), pair => pair.Value is "another-apps-key" or HookSecret or "name-is-only-the-prefix");
        Assert.DoesNotContain(_vault.Requests, r => r.Path.StartsWith("/secrets/Other-", StringComparison.Ordinal));
    }

    [Fact]
    public void AddHubKeyVaultSecrets_ManyPages_FollowsNextLinkToTheLastPage()
    {
        _vault.PageSize = 2;
        for (var i = 0; i < 7; i++)
        {
            _vault.SetSecret($"Paged--Secret{i}", $"value-{i}");
        }

        using var configuration = (ConfigurationRoot)Build(VaultSettings());

        for (var i = 0; i < 7; i++)
        {
            Assert.Equal($"value-{i}", configuration[$"Paged:Secret{i}"]);
        }

        var listPages = _vault.Requests
            .Where(r => r.Authorization is not null && r.Method == "GET"
                && (r.Path.StartsWith("/secrets?", StringComparison.Ordinal) || r.Path.StartsWith("/secrets/?", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal(4, listPages.Count);
        Assert.Contains(listPages, r => r.Path.Contains("$skiptoken=6", StringComparison.Ordinal));
    }

    [Fact]
    public void AddHubKeyVaultSecrets_ListForbidden_FailsNamingTheVault()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        _vault.FailWithStatus = 403;

        var ex = Assert.Throws<KeyVaultSecretsException>(() => Build(VaultSettings()));

        Assert.Equal(403, ex.StatusCode);
        Assert.Equal("Forbidden", ex.ErrorCode);
        Assert.Equal(_vault.VaultUri, ex.VaultUri);
        Assert.Contains(_vault.VaultUri.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
        Assert.Contains("KeyVault:SecretsUri", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PluginKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddHubKeyVaultSecrets_GetForbiddenAfterOtherSecretsLoaded_FailsWithoutAnySecretValue()
    {
        _vault.SetSecret("A--Loaded", PluginKey);
        _vault.SetSecret("B--Forbidden", HookSecret);
        _vault.ForbiddenSecrets["B--Forbidden"] = true;

        var ex = Assert.Throws<KeyVaultSecretsException>(() => Build(VaultSettings()));

        Assert.Equal(403, ex.StatusCode);
        Assert.Contains(_vault.VaultUri.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("'B--Forbidden'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("permission", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PluginKey, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(HookSecret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddHubKeyVaultSecrets_VaultUnreachable_FailsNamingTheVault()
    {
        var uri = _vault.VaultUri;
        var options = _vault.CreateClientOptions();
        await _vault.DisposeAsync();
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KeyVault:SecretsUri"] = uri.ToString() });

        var ex = Assert.Throws<KeyVaultSecretsException>(() => builder.AddHubKeyVaultSecrets(_credential, options).Build());

        Assert.Contains(uri.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
        _vault = await FakeKeyVaultSecrets.StartAsync();
    }

    [Fact]
    public void AddHubKeyVaultSecrets_NoSecretsUri_AddsNothingAndSendsNothing()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["KeyVault:Prefix"] = "Hub-" });
        var sources = builder.Sources.Count;

        builder.AddHubKeyVaultSecrets(_credential, _vault.CreateClientOptions());
        var configuration = builder.Build();

        Assert.Equal(sources, builder.Sources.Count);
        Assert.Null(configuration["Crisp:PluginKey"]);
        Assert.Empty(_vault.Requests);
        Assert.Empty(_credential.RequestedScopes);
    }

    [Fact]
    public void AddHubKeyVaultSecrets_ConfigurationManager_ReadsSecretsUriFromEarlierSources()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        using var manager = new ConfigurationManager();
        manager.AddInMemoryCollection(VaultSettings());

        manager.AddHubKeyVaultSecrets(_credential, _vault.CreateClientOptions());

        Assert.Equal(PluginKey, manager["Crisp:PluginKey"]);
        Assert.IsType<KeyVaultSecretsConfigurationSource>(manager.Sources.Last());
    }

    [Fact]
    public void AddHubKeyVaultSecrets_LaterSources_OverrideVaultValues()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        var builder = new ConfigurationBuilder().AddInMemoryCollection(VaultSettings());
        builder.AddHubKeyVaultSecrets(_credential, _vault.CreateClientOptions());
        builder.AddInMemoryCollection(new Dictionary<string, string?> { ["Crisp:PluginKey"] = "override" });

        using var configuration = (ConfigurationRoot)builder.Build();

        Assert.Equal("override", configuration["Crisp:PluginKey"]);
    }

    [Fact]
    public async Task AddHubKeyVaultSecrets_ReloadIntervalSet_PicksUpChangedSecret()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        _vault.SetSecret("Crisp--HookSecret", HookSecret);
        var settings = VaultSettings();
        settings["KeyVault:ReloadInterval"] = "00:00:01";
        using var configuration = (ConfigurationRoot)Build(settings);
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = configuration.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);
        var hookFetches = _vault.Requests.Count(r => r.Authorization is not null && r.Path.StartsWith("/secrets/Crisp--HookSecret", StringComparison.Ordinal));

        _vault.SetSecret("Crisp--PluginKey", "rotated-plugin-key");
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("rotated-plugin-key", configuration["Crisp:PluginKey"]);
        Assert.Equal(HookSecret, configuration["Crisp:HookSecret"]);
        Assert.Equal(
            hookFetches,
            _vault.Requests.Count(r => r.Authorization is not null && r.Path.StartsWith("/secrets/Crisp--HookSecret", StringComparison.Ordinal)));
    }

    [Fact]
    public void AddHubKeyVaultSecrets_NoReloadInterval_ReadsVaultOnce()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        using var configuration = (ConfigurationRoot)Build(VaultSettings());
        var provider = Assert.IsType<KeyVaultSecretsConfigurationProvider>(configuration.Providers.Last());
        var count = _vault.Requests.Count;

        Thread.Sleep(1500);

        Assert.Equal(count, _vault.Requests.Count);
        Assert.Null(provider.LastReloadError);
    }

    [Theory]
    [InlineData("KeyVault:SecretsUri", "http://my-vault.vault.azure.net/")]
    [InlineData("KeyVault:SecretsUri", "https://my-vault.vault.azure.net/secrets/x")]
    [InlineData("KeyVault:SecretsUri", "my-vault")]
    [InlineData("KeyVault:Prefix", "hub_")]
    [InlineData("KeyVault:ReloadInterval", "soon")]
    [InlineData("KeyVault:ReloadInterval", "00:00:00")]
    public void AddHubKeyVaultSecrets_InvalidSetting_FailsNamingTheSettingWithoutRequest(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["KeyVault:SecretsUri"] = "https://my-vault.vault.azure.net/", [key] = value };
        var builder = new ConfigurationBuilder().AddInMemoryCollection(settings);

        var ex = Assert.Throws<KeyVaultSecretsException>(() => builder.AddHubKeyVaultSecrets(_credential, _vault.CreateClientOptions()));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_credential.RequestedScopes);
    }

    [Theory]
    [InlineData("Crisp--PluginKey", null, "Crisp:PluginKey")]
    [InlineData("Crisp--Hooks--Secret", null, "Crisp:Hooks:Secret")]
    [InlineData("Plain", null, "Plain")]
    [InlineData("hub-Crisp--PluginKey", "Hub-", "Crisp:PluginKey")]
    [InlineData("Crisp--PluginKey", "Hub-", null)]
    [InlineData("Hub-", "Hub-", null)]
    public void ToConfigurationKey_Always_MapsTheStandardWay(string secretName, string? prefix, string? expected)
    {
        Assert.Equal(expected, KeyVaultSecretsConfigurationProvider.ToConfigurationKey(secretName, prefix));
    }

    [Fact]
    public void ToString_ProviderHoldingSecrets_IsRedacted()
    {
        _vault.SetSecret("Crisp--PluginKey", PluginKey);
        using var configuration = (ConfigurationRoot)Build(VaultSettings());
        var provider = Assert.IsType<KeyVaultSecretsConfigurationProvider>(configuration.Providers.Last());

        var text = provider + " " + KeyVaultSecretsOptions.FromConfiguration(configuration);

        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        Assert.Contains(_vault.VaultUri.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(PluginKey, text, StringComparison.Ordinal);
    }
}
