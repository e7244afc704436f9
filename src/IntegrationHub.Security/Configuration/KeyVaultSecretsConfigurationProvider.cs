using System.Text;
using System.Text.Json;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Security.Configuration;

/// <summary>
/// Loads every enabled secret of one Azure Key Vault into configuration, the secret name mapped to a key by replacing
/// <c>--</c> with <c>:</c> (<c>Crisp--PluginKey</c> becomes <c>Crisp:PluginKey</c>), after removing
/// <see cref="KeyVaultSecretsOptions.Prefix"/>. Loads once; with <see cref="KeyVaultSecretsOptions.ReloadInterval"/> it
/// reads the vault again at that interval, keeping the last values when a reload fails.
/// </summary>
/// <remarks>
/// A failure of the first load throws <see cref="KeyVaultSecretsException"/> (so start-up fails) naming the vault and,
/// when one failed, the secret; never a value. Nothing here logs, and the client's content logging is switched off.
/// </remarks>
public sealed class KeyVaultSecretsConfigurationProvider : ConfigurationProvider, IDisposable
{
    private const int MaxDetailLength = 500;

    private readonly KeyVaultSecretsOptions _options;
    private readonly SecretClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _loadLock = new();
    private Dictionary<string, LoadedSecret> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private Task? _reloadLoop;
    private bool _disposed;

    public KeyVaultSecretsConfigurationProvider(KeyVaultSecretsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.VaultUri);
        _options = options;
        var clientOptions = options.ClientOptions ?? new SecretClientOptions();
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        _client = new SecretClient(options.VaultUri, options.Credential ?? new DefaultAzureCredential(), clientOptions);
    }

    /// <summary>The vault secrets are loaded from.</summary>
    public Uri VaultUri => _options.VaultUri;

    /// <summary>When the last reload failed (the previous values were kept), what went wrong; null otherwise.</summary>
    public KeyVaultSecretsException? LastReloadError { get; private set; }

    /// <summary>Reads the vault (blocking). Throws <see cref="KeyVaultSecretsException"/> when it cannot.</summary>
    public override void Load()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Data = Fetch(_stopping.Token);
        if (_options.ReloadInterval is { } interval && _reloadLoop is null)
        {
            _reloadLoop = ReloadLoopAsync(interval, _stopping.Token);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping.Cancel();
        _stopping.Dispose();
    }

    public override string ToString() =>
        $"KeyVaultSecretsConfigurationProvider {{ Vault = {_options.VaultUri}, Prefix = {_options.Prefix ?? "(none)"}, Secrets = {Data.Count} [redacted] }}";

    /// <summary>The configuration key for a secret name, or null when the prefix filter leaves it out.</summary>
    public static string? ToConfigurationKey(string secretName, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(secretName);
        if (!string.IsNullOrEmpty(prefix))
        {
            if (!secretName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || secretName.Length == prefix.Length)
            {
                return null;
            }

            secretName = secretName[prefix.Length..];
        }

        return secretName.Replace("--", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
    }

    private async Task ReloadLoopAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var data = await Task.Run(() => Fetch(cancellationToken), cancellationToken).ConfigureAwait(false);
                    LastReloadError = null;
                    if (!SameData(Data, data))
                    {
                        Data = data;
                        OnReload();
                    }
                }
                catch (KeyVaultSecretsException ex)
                {
                    LastReloadError = ex;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private Dictionary<string, string?> Fetch(CancellationToken cancellationToken)
    {
        lock (_loadLock)
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var loaded = new Dictionary<string, LoadedSecret>(StringComparer.OrdinalIgnoreCase);
            string? current = null;
            try
            {
                foreach (var properties in _client.GetPropertiesOfSecrets(cancellationToken))
                {
                    if (properties.Enabled != true
                        || ToConfigurationKey(properties.Name, _options.Prefix) is not { Length: > 0 } key)
                    {
                        continue;
                    }

                    // The list carries no values: fetch a secret only when it is new or was updated since last time.
                    if (!_loaded.TryGetValue(properties.Name, out var secret)
                        || properties.UpdatedOn is null
                        || secret.UpdatedOn != properties.UpdatedOn)
                    {
                        current = properties.Name;
                        var fetched = _client.GetSecret(properties.Name, version: null, cancellationToken).Value;
                        current = null;
                        if (fetched.Properties.Enabled == false || fetched.Value is null)
                        {
                            continue;
                        }

                        secret = new LoadedSecret(fetched.Value, properties.UpdatedOn);
                    }

                    loaded[properties.Name] = secret;
                    data[key] = secret.Value;
                }
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception ex)
            {
                throw Describe(ex, current, data.Values);
            }

            _loaded = loaded;
            return data;
        }
    }

    private KeyVaultSecretsException Describe(Exception ex, string? secretName, IEnumerable<string?> loadedValues)
    {
        var vault = _options.VaultUri;
        var what = secretName is null
            ? $"Could not list the secrets of Azure Key Vault {vault}"
            : $"Could not read secret '{secretName}' from Azure Key Vault {vault}";
        const string Settings = " (" + KeyVaultSecretsOptions.SecretsUriKey + ")";

        switch (ex)
        {
            case RequestFailedException { Status: 0 } failed:
                return new KeyVaultSecretsException(
                    $"{what}{Settings}: the vault could not be reached. Check the URL and the network.", vault, null, null, failed.InnerException);
            case RequestFailedException failed:
                var (code, detail) = ReadError(failed, loadedValues);
                var text = new StringBuilder(what).Append(Settings).Append(": HTTP ").Append(failed.Status);
                code ??= failed.ErrorCode;
                if (code is not null)
                {
                    text.Append(" (").Append(code).Append(')');
                }

                text.Append(detail is null ? "." : $": {detail.TrimEnd('.')}.");
                if (failed.Status is 401 or 403)
                {
                    text.Append(" The hub's identity needs the 'Key Vault Secrets User' role (or list and get secret permissions) on this vault.");
                }

                if (failed.GetRawResponse()?.Headers.RequestId is { } requestId)
                {
                    text.Append(" Request id: ").Append(requestId).Append('.');
                }

                // The RequestFailedException is not kept: its message repeats whole response bodies.
                return new KeyVaultSecretsException(text.ToString(), vault, failed.Status, code);
            case AuthenticationFailedException auth:
                return new KeyVaultSecretsException(
                    $"{what}{Settings}: no access token could be obtained for the vault. Configure a managed identity, workload identity or AZURE_* environment variables.",
                    vault, null, null, auth);
            case JsonException or FormatException:
                return new KeyVaultSecretsException(
                    $"{what}{Settings}: the vault's answer could not be read ({ex.GetType().Name}).", vault, null, null);
            default:
                return new KeyVaultSecretsException($"{what}{Settings}: {ex.GetType().Name}.", vault, null, null, ex);
        }
    }

    private static (string? Code, string? Detail) ReadError(RequestFailedException failed, IEnumerable<string?> loadedValues)
    {
        string? code = null;
        string? detail = null;
        try
        {
            if (failed.GetRawResponse() is { } response)
            {
                using var document = JsonDocument.Parse(response.Content.ToMemory());
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error)
                    && error.ValueKind == JsonValueKind.Object)
                {
                    code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    detail = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not a Key Vault error body; the status says enough.
        }

        // Key Vault's error messages hold no values, but a proxy might echo anything: never repeat such text.
        if (detail is not null
            && (detail.Length > MaxDetailLength
                || loadedValues.Any(value => value is { Length: >= 4 } && detail.Contains(value, StringComparison.Ordinal))))
        {
            detail = null;
        }

        return (code, detail);
    }

    private static bool SameData(IDictionary<string, string?> left, Dictionary<string, string?> right) =>
        left.Count == right.Count
        && left.All(pair => right.TryGetValue(pair.Key, out var value) && string.Equals(value, pair.Value, StringComparison.Ordinal));

    private sealed class LoadedSecret(string value, DateTimeOffset? updatedOn)
    {
        public string Value { get; } = value;

        public DateTimeOffset? UpdatedOn { get; } = updatedOn;

        public override string ToString() => "[redacted]";
    }
}
