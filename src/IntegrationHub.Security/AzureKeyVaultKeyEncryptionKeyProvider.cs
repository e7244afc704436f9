using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace IntegrationHub.Security;

/// <summary>
/// Pipeline settings (transport, retries, diagnostics) for <see cref="AzureKeyVaultKeyEncryptionKeyProvider"/>.
/// Content logging is always switched off by the provider, whatever is set here.
/// </summary>
public sealed class AzureKeyVaultClientOptions : ClientOptions
{
}

/// <summary>
/// Wraps data keys with an RSA key in Azure Key Vault (RSA-OAEP-256 wrapKey / unwrapKey over the REST API,
/// api-version 7.4) through an Azure.Core <see cref="HttpPipeline"/> authenticated by
/// <see cref="BearerTokenAuthenticationPolicy"/> with scope <see cref="Scope"/>.
/// </summary>
/// <remarks>
/// <see cref="WrappedKey.KeyId"/> is the <c>kid</c> Key Vault returns, which names the key version that wrapped the
/// data key; unwrap sends the request to exactly that version. A <c>kid</c> is only followed to the configured vault,
/// so a tampered record cannot send the bearer token or a wrapped key to another host.
/// </remarks>
public sealed class AzureKeyVaultKeyEncryptionKeyProvider : IKeyEncryptionKeyProvider
{
    public const string Scope = "https://vault.azure.net/.default";
    public const string ApiVersion = "7.4";
    public const string Algorithm = "RSA-OAEP-256";

    /// <summary>
    /// Each try's limit when the host gives no client options. A wrap or unwrap takes milliseconds; Azure.Core's own
    /// default (100 s a try, 3 retries) would hold a settings page, a hook or <c>keys rotate</c> for minutes on a
    /// vault that hangs.
    /// </summary>
    public static readonly TimeSpan DefaultNetworkTimeout = TimeSpan.FromSeconds(10);

    private static readonly byte[] BodyStart = "{\"alg\":\"RSA-OAEP-256\",\"value\":\""u8.ToArray();
    private static readonly byte[] BodyEnd = "\"}"u8.ToArray();

    private readonly HttpPipeline _pipeline;
    private readonly Uri _vaultUri;
    private readonly string _keyName;
    private readonly string? _keyVersion;

    public AzureKeyVaultKeyEncryptionKeyProvider(
        AzureKeyVaultKeyOptions options, TokenCredential credential, AzureKeyVaultClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        var problems = KeyManagementOptionsValidator.ValidateAzureKeyVault(options).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _vaultUri = new Uri(new Uri(options.VaultUrl!).GetLeftPart(UriPartial.Authority));
        _keyName = options.KeyName!;
        _keyVersion = string.IsNullOrEmpty(options.KeyVersion) ? null : options.KeyVersion;

        if (clientOptions is null)
        {
            clientOptions = new AzureKeyVaultClientOptions();
            clientOptions.Retry.NetworkTimeout = DefaultNetworkTimeout;
        }

        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        NetworkTimeout = clientOptions.Retry.NetworkTimeout;
        _pipeline = HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    public string ProviderName => KeyEncryptionKeyProviderNames.AzureKeyVault;

    /// <summary>The vault's base URL (scheme and authority).</summary>
    public Uri VaultUri => _vaultUri;

    /// <summary>How long one try may wait for the vault's answer.</summary>
    public TimeSpan NetworkTimeout { get; }

    public async Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        if (dataKey.IsEmpty)
        {
            throw new ArgumentException("The data key is empty.", nameof(dataKey));
        }

        var path = _keyVersion is null
            ? $"/keys/{_keyName}/wrapkey"
            : $"/keys/{_keyName}/{_keyVersion}/wrapkey";
        var body = BuildBody(dataKey.Span);
        var valueStart = BodyStart.Length;
        var valueLength = body.Length - BodyStart.Length - BodyEnd.Length;
        try
        {
            using var message = CreateMessage(RequestMethod.Post, path);
            message.Request.Content = RequestContent.Create(body);
            var response = await SendAsync(message, "wrapKey", _keyName, cancellationToken);
            EnsureSuccess(response, "wrapKey", _keyName, body.AsSpan(valueStart, valueLength));

            var (kid, value) = ReadKeyOperationResult(response, "wrapKey");
            if (kid is null || !TryParseKid(kid, out var name, out var version) || version is null)
            {
                throw new KeyEncryptionKeyException(
                    $"Azure Key Vault wrapKey with key '{_keyName}' returned no versioned key id from the configured vault.");
            }

            if (!string.Equals(name, _keyName, StringComparison.OrdinalIgnoreCase))
            {
                throw new KeyEncryptionKeyException(
                    $"Azure Key Vault wrapKey with key '{_keyName}' answered for another key ('{name}').");
            }

            return new WrappedKey(ProviderName, kid, value);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    public async Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!string.Equals(wrapped.ProviderName, ProviderName, StringComparison.Ordinal))
        {
            throw new KeyEncryptionKeyException(
                $"The data key was wrapped by the '{wrapped.ProviderName}' provider, not by '{ProviderName}'.");
        }

        if (!TryParseKid(wrapped.KeyId, out var name, out var version) || version is null)
        {
            throw new KeyEncryptionKeyException(
                $"The wrapped data key names key '{wrapped.KeyId}', which is not a versioned key of the configured vault {_vaultUri}.");
        }

        var body = BuildBody(wrapped.Ciphertext.Span);
        try
        {
            using var message = CreateMessage(RequestMethod.Post, $"/keys/{name}/{version}/unwrapkey");
            message.Request.Content = RequestContent.Create(body);
            var response = await SendAsync(message, "unwrapKey", name, cancellationToken);
            EnsureSuccess(response, "unwrapKey", name, []);
            var (_, value) = ReadKeyOperationResult(response, "unwrapKey");
            return value;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }
    }

    public async Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default)
    {
        if (_keyVersion is not null)
        {
            return $"{_vaultUri.GetLeftPart(UriPartial.Authority)}/keys/{_keyName}/{_keyVersion}";
        }

        using var message = CreateMessage(RequestMethod.Get, $"/keys/{_keyName}");
        var response = await SendAsync(message, "getKey", _keyName, cancellationToken);
        EnsureSuccess(response, "getKey", _keyName, []);
        string? kid = null;
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            if (document.RootElement.TryGetProperty("key", out var key)
                && key.TryGetProperty("kid", out var kidElement)
                && kidElement.ValueKind == JsonValueKind.String)
            {
                kid = kidElement.GetString();
            }
        }
        catch (JsonException ex)
        {
            throw new KeyEncryptionKeyException($"Azure Key Vault getKey for key '{_keyName}' returned invalid JSON.", ex);
        }

        if (kid is null || !TryParseKid(kid, out _, out var version) || version is null)
        {
            throw new KeyEncryptionKeyException(
                $"Azure Key Vault getKey for key '{_keyName}' returned no versioned key id from the configured vault.");
        }

        return kid;
    }

    public override string ToString() =>
        $"AzureKeyVaultKeyEncryptionKeyProvider {{ Vault = {_vaultUri}, KeyName = {_keyName}, KeyVersion = {_keyVersion ?? "(current)"} }}";

    /// <summary>
    /// Splits a <c>kid</c> of the configured vault, <c>https://{vault}/keys/{name}[/{version}]</c>, into name and
    /// version. False for another host, scheme or shape.
    /// </summary>
    public bool TryParseKid(string kid, out string name, out string? version)
    {
        name = string.Empty;
        version = null;
        if (!Uri.TryCreate(kid, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !string.Equals(uri.Authority, _vaultUri.Authority, StringComparison.OrdinalIgnoreCase)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length is < 2 or > 3
            || !string.Equals(segments[0], "keys", StringComparison.Ordinal)
            || !KeyManagementOptionsValidator.KeySegment().IsMatch(segments[1])
            || (segments.Length == 3 && !KeyManagementOptionsValidator.KeySegment().IsMatch(segments[2])))
        {
            return false;
        }

        name = segments[1];
        version = segments.Length == 3 ? segments[2] : null;
        return true;
    }

    private HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(_vaultUri);
        request.Uri.AppendPath(path, escape: false);
        request.Uri.AppendQuery("api-version", ApiVersion);
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        if (method == RequestMethod.Post)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
        }

        return message;
    }

    private async Task<Response> SendAsync(
        HttpMessage message, string operation, string keyName, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
            return message.Response;
        }
        catch (RequestFailedException ex)
        {
            throw new KeyEncryptionKeyException(
                $"Azure Key Vault {operation} with key '{keyName}' at {_vaultUri} could not be reached.", ex);
        }
        catch (AggregateException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The pipeline's retries failed one after another: it gathers every try's failure in one AggregateException.
            throw new KeyEncryptionKeyException(
                $"Azure Key Vault {operation} with key '{keyName}' at {_vaultUri} could not be reached ({ex.InnerExceptions.Count} tries).", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not the caller's cancellation: the pipeline's per-try network timeout.
            throw new KeyEncryptionKeyException(
                $"Azure Key Vault {operation} with key '{keyName}' at {_vaultUri} did not answer within {NetworkTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new KeyEncryptionKeyException(
                $"Azure Key Vault {operation} with key '{keyName}': no access token could be obtained for {Scope}.", ex);
        }
    }

    private static void EnsureSuccess(Response response, string operation, string keyName, ReadOnlySpan<byte> sentValue)
    {
        if (response.Status is >= 200 and < 300)
        {
            return;
        }

        string? code = null;
        string? detail = null;
        try
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
        catch (JsonException)
        {
            // Not a Key Vault error body; the status code says enough.
        }

        // Key Vault never echoes the request, but a proxy might: never repeat text that carries what was sent.
        if (detail is not null
            && (detail.Length > 500 || (!sentValue.IsEmpty && Encoding.UTF8.GetBytes(detail).AsSpan().IndexOf(sentValue) >= 0)))
        {
            detail = null;
        }

        var text = new StringBuilder()
            .Append("Azure Key Vault ").Append(operation).Append(" with key '").Append(keyName)
            .Append("' failed with HTTP ").Append(response.Status);
        if (code is not null)
        {
            text.Append(" (").Append(code).Append(')');
        }

        if (detail is not null)
        {
            text.Append(": ").Append(detail.TrimEnd('.')).Append('.');
        }
        else
        {
            text.Append('.');
        }

        if (response.Headers.RequestId is { } requestId)
        {
            text.Append(" Request id: ").Append(requestId).Append('.');
        }

        throw new KeyEncryptionKeyException(text.ToString(), response.Status, code);
    }

    private static (string? Kid, byte[] Value) ReadKeyOperationResult(Response response, string operation)
    {
        var content = response.Content.ToMemory();
        string? kid = null;
        byte[]? value = null;
        try
        {
            var reader = new Utf8JsonReader(content.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException();
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKid = reader.ValueTextEquals("kid"u8);
                var isValue = reader.ValueTextEquals("value"u8);
                reader.Read();
                if (isKid && reader.TokenType == JsonTokenType.String)
                {
                    kid = reader.GetString();
                }
                else if (isValue && reader.TokenType == JsonTokenType.String)
                {
                    var encoded = new byte[reader.ValueSpan.Length];
                    try
                    {
                        var length = reader.CopyString(encoded);
                        value = Base64Url.DecodeFromUtf8(encoded.AsSpan(0, length));
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(encoded);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new KeyEncryptionKeyException($"Azure Key Vault {operation} returned a response that could not be read.", ex);
        }

        if (value is not { Length: > 0 })
        {
            throw new KeyEncryptionKeyException($"Azure Key Vault {operation} returned no key value.");
        }

        return (kid, value);
    }

    private static byte[] BuildBody(ReadOnlySpan<byte> value)
    {
        var encodedLength = Base64Url.GetEncodedLength(value.Length);
        var body = new byte[BodyStart.Length + encodedLength + BodyEnd.Length];
        BodyStart.CopyTo(body, 0);
        Base64Url.EncodeToUtf8(value, body.AsSpan(BodyStart.Length, encodedLength));
        BodyEnd.CopyTo(body, BodyStart.Length + encodedLength);
        return body;
    }
}
