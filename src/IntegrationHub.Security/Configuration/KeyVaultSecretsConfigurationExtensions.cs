using Azure.Core;
using Azure.Security.KeyVault.Secrets;
using IntegrationHub.Security.Configuration;

// In Microsoft.Extensions.Configuration, like the framework's own AddXxx sources, so hosts need no extra using.
namespace Microsoft.Extensions.Configuration;

public static class KeyVaultSecretsConfigurationExtensions
{
    /// <summary>
    /// When <c>KeyVault:SecretsUri</c> is set in the configuration built so far (appsettings, environment variables,
    /// command line), adds every enabled secret of that vault as configuration (<c>Crisp--PluginKey</c> becomes
    /// <c>Crisp:PluginKey</c>), authenticated by <see cref="Azure.Identity.DefaultAzureCredential"/>. Without it,
    /// adds nothing and sends nothing.
    /// </summary>
    /// <exception cref="KeyVaultSecretsException">A setting is invalid, or the vault could not be read.</exception>
    public static IConfigurationBuilder AddHubKeyVaultSecrets(this IConfigurationBuilder builder) =>
        builder.AddHubKeyVaultSecrets(credential: null, clientOptions: null);

    /// <summary>
    /// As <see cref="AddHubKeyVaultSecrets(IConfigurationBuilder)"/>, with the credential (null: DefaultAzureCredential)
    /// and the client pipeline options (null: the defaults) given.
    /// </summary>
    public static IConfigurationBuilder AddHubKeyVaultSecrets(
        this IConfigurationBuilder builder, TokenCredential? credential, SecretClientOptions? clientOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        KeyVaultSecretsOptions? options;
        if (builder is IConfiguration current)
        {
            // ConfigurationManager (WebApplicationBuilder.Configuration) is both builder and configuration.
            options = KeyVaultSecretsOptions.FromConfiguration(current, credential, clientOptions);
        }
        else
        {
            var built = builder.Build();
            try
            {
                options = KeyVaultSecretsOptions.FromConfiguration(built, credential, clientOptions);
            }
            finally
            {
                (built as IDisposable)?.Dispose();
            }
        }

        return options is null ? builder : builder.Add(new KeyVaultSecretsConfigurationSource(options));
    }
}
