using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Security.Configuration;

/// <summary>Adds a <see cref="KeyVaultSecretsConfigurationProvider"/> for <see cref="Options"/>.</summary>
public sealed class KeyVaultSecretsConfigurationSource : IConfigurationSource
{
    public KeyVaultSecretsConfigurationSource(KeyVaultSecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    public KeyVaultSecretsOptions Options { get; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new KeyVaultSecretsConfigurationProvider(Options);

    public override string ToString() => $"KeyVaultSecretsConfigurationSource {{ Vault = {Options.VaultUri} }}";
}
