using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Security.Tests.Fakes;

public sealed record RecordedRequest(string Method, string Path, string? ApiVersion, string? Authorization, string Body);

/// <summary>
/// A loopback fake of the three Key Vault key routes the provider uses (GET key, wrapkey, unwrapkey), over HTTPS with
/// a self-signed certificate, doing real RSA-OAEP-256 with RSA-2048 keys. Each key version has its own RSA key, so
/// unwrapping with the wrong version fails as it would in Key Vault.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RSA> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<(string Version, int PlaintextLength)> _unwraps = new();
    private readonly X509Certificate2 _certificate;
    private WebApplication? _app;

    private FakeKeyVault(string keyName)
    {
        KeyName = keyName;
        _certificate = CreateSelfSignedCertificate();
        CurrentVersion = AddVersion();
    }

    public string KeyName { get; }

    public Uri VaultUri { get; private set; } = null!;

    public string CurrentVersion { get; private set; }

    /// <summary>When set, every request answers with this status and a Key Vault error body.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>When set, every request waits this long before it is answered (a vault that hangs).</summary>
    public TimeSpan? Delay { get; set; }

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    /// <summary>Each successful unwrap: the key version whose private key decrypted, and the plaintext length.</summary>
    public IReadOnlyCollection<(string Version, int PlaintextLength)> Unwraps => _unwraps;

    public static async Task<FakeKeyVault> StartAsync(string keyName = "hub-kek")
    {
        var vault = new FakeKeyVault(keyName);
        await vault.StartServerAsync();
        return vault;
    }

    public string KidFor(string version) => $"{VaultUri.GetLeftPart(UriPartial.Authority)}/keys/{KeyName}/{version}";

    /// <summary>Creates a new key version (a new RSA key) and makes it current, as Key Vault's rotate does.</summary>
    public string RotateKey()
    {
        CurrentVersion = AddVersion();
        return CurrentVersion;
    }

    public byte[] DecryptWithPrivateKey(string version, ReadOnlySpan<byte> ciphertext, RSAEncryptionPadding padding) =>
        _versions[version].Decrypt(ciphertext, padding);

    /// <summary>Client options whose transport trusts exactly this fake's certificate and never retries.</summary>
    public AzureKeyVaultClientOptions CreateClientOptions()
    {
        var options = new AzureKeyVaultClientOptions { Transport = CreateTrustingTransport(_certificate) };
        options.Retry.MaxRetries = 0;
        return options;
    }

    /// <summary>An HTTP transport that trusts exactly <paramref name="trusted"/> (by SHA-256 thumbprint).</summary>
    internal static HttpClientTransport CreateTrustingTransport(X509Certificate2 trusted)
    {
        var expected = trusted.GetCertHash(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null
                    && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), expected),
            },
        };
        return new HttpClientTransport(handler);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var rsa in _versions.Values)
        {
            rsa.Dispose();
        }

        _certificate.Dispose();
    }

    private string AddVersion()
    {
        var version = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _versions[version] = RSA.Create(2048);
        return version;
    }

    private async Task StartServerAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        VaultUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(
            request.Method, request.Path.Value ?? string.Empty, request.Query["api-version"],
            request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, body));

        if (Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (FailWithStatus is { } status)
        {
            await ErrorAsync(context, status, status == 403 ? "Forbidden" : "ServiceError",
                "The user, group or application 'appid=00000000-fake' does not have keys wrapKey/unwrapKey permission on key vault 'fake'.");
            return;
        }

        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }

        if (request.Query["api-version"] != "7.4")
        {
            await ErrorAsync(context, 400, "BadParameter", "The specified version is not supported.");
            return;
        }

        var segments = (request.Path.Value ?? string.Empty).Trim('/').Split('/');
        if (segments.Length < 2 || segments[0] != "keys" || segments[1] != KeyName)
        {
            await ErrorAsync(context, 404, "KeyNotFound", "A key with (name/id) was not found in this key vault.");
            return;
        }

        if (HttpMethods.IsGet(request.Method) && segments.Length == 2)
        {
            await JsonAsync(context, new JsonObject { ["key"] = new JsonObject { ["kid"] = KidFor(CurrentVersion), ["kty"] = "RSA" } });
            return;
        }

        var (version, operation) = segments.Length switch
        {
            3 => (CurrentVersion, segments[2]),
            4 => (segments[2], segments[3]),
            _ => (string.Empty, string.Empty),
        };
        if (!HttpMethods.IsPost(request.Method) || operation is not ("wrapkey" or "unwrapkey")
            || !_versions.TryGetValue(version, out var rsa))
        {
            await ErrorAsync(context, 404, "KeyNotFound", "A key with (name/id) was not found in this key vault.");
            return;
        }

        var json = JsonNode.Parse(body);
        if (json?["alg"]?.GetValue<string>() != "RSA-OAEP-256" || json["value"]?.GetValue<string>() is not { } value)
        {
            await ErrorAsync(context, 400, "BadParameter", "Unsupported algorithm or missing value.");
            return;
        }

        byte[] result;
        try
        {
            var input = Base64Url.DecodeFromChars(value);
            if (operation == "wrapkey")
            {
                result = rsa.Encrypt(input, RSAEncryptionPadding.OaepSHA256);
            }
            else
            {
                result = rsa.Decrypt(input, RSAEncryptionPadding.OaepSHA256);
                _unwraps.Enqueue((version, result.Length));
            }
        }
        catch (CryptographicException)
        {
            await ErrorAsync(context, 400, "BadParameter", "Error occurred while decrypting the value.");
            return;
        }

        await JsonAsync(context, new JsonObject { ["kid"] = KidFor(version), ["value"] = Base64Url.EncodeToString(result) });
    }

    private static Task JsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        return JsonAsync(context, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });
    }

    internal static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=fake-key-vault", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }
}
