using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Security;

public static class KeyManagementServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="KeyManagementOptions"/> from the <c>KeyManagement</c> section, validates it at start-up and
    /// registers the chosen <see cref="IKeyEncryptionKeyProvider"/> as a singleton.
    /// </summary>
    /// <param name="configuration">The configuration root (the <c>KeyManagement</c> section is read from it).</param>
    /// <param name="dataDirectory">
    /// The host's data directory: the Local key ring defaults to <c>{dataDirectory}/keys/kek.json</c>, and a relative
    /// <c>KeyManagement:Local:KeyPath</c> is resolved against it.
    /// </param>
    /// <remarks>
    /// AzureKeyVault uses a <see cref="TokenCredential"/> registered in the container if there is one, else
    /// <see cref="DefaultAzureCredential"/>; and an <see cref="AzureKeyVaultClientOptions"/> registered in the container
    /// if there is one.
    /// </remarks>
    public static IServiceCollection AddKeyManagement(
        this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);

        services.AddOptions<KeyManagementOptions>()
            .Bind(configuration.GetSection(KeyManagementOptions.SectionName))
            .PostConfigure(options =>
            {
                options.Local.KeyPath = string.IsNullOrWhiteSpace(options.Local.KeyPath)
                    ? Path.Combine(dataDirectory, "keys", "kek.json")
                    : Path.Combine(dataDirectory, options.Local.KeyPath);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<KeyManagementOptions>, KeyManagementOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKeyEncryptionKeyProvider>(CreateProvider);
        return services;
    }

    private static IKeyEncryptionKeyProvider CreateProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;
        if (string.Equals(options.Provider, KeyEncryptionKeyProviderNames.AzureKeyVault, StringComparison.OrdinalIgnoreCase))
        {
            return new AzureKeyVaultKeyEncryptionKeyProvider(
                options.AzureKeyVault,
                services.GetService<TokenCredential>() ?? new DefaultAzureCredential(),
                services.GetService<AzureKeyVaultClientOptions>());
        }

        if (string.Equals(options.Provider, KeyEncryptionKeyProviderNames.Local, StringComparison.OrdinalIgnoreCase))
        {
            return new LocalKeyEncryptionKeyProvider(
                options.Local.KeyPath!,
                services.GetRequiredService<TimeProvider>(),
                services.GetService<ILogger<LocalKeyEncryptionKeyProvider>>());
        }

        // Unreachable after ValidateOnStart; kept for hosts that resolve before start.
        throw new OptionsValidationException(
            KeyManagementOptions.SectionName,
            typeof(KeyManagementOptions),
            [$"KeyManagement:Provider '{options.Provider}' is not supported; use 'Local' or 'AzureKeyVault'."]);
    }
}
