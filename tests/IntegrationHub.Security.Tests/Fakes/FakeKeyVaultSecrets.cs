using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Security.Tests.Fakes;

/// <summary>
/// A loopback fake of the Key Vault secrets routes SecretClient uses, over HTTPS with a self-signed certificate:
/// GET /secrets (ids and attributes, <see cref="PageSize"/> per page, <c>nextLink</c> to the next) and
/// GET /secrets/{name}[/{version}] (value, id, attributes). Like Key Vault, it answers a request without a bearer token
/// with 401 and a challenge, and refuses to get a disabled secret (403).
/// </summary>
public sealed class FakeKeyVaultSecrets : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FakeSecret> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly X509Certificate2 _certificate = FakeKeyVault.CreateSelfSignedCertificate();
    private WebApplication? _app;

    private FakeKeyVaultSecrets()
    {
    }

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>Secrets per page of the list.</summary>
    public int PageSize { get; set; } = 2;

    /// <summary>When set, every authenticated request answers with this status and a Key Vault error body.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>Secrets whose GET answers 403 (listed as usual).</summary>
    public ConcurrentDictionary<string, bool> ForbiddenSecrets { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public static async Task<FakeKeyVaultSecrets> StartAsync()
    {
        var vault = new FakeKeyVaultSecrets();
        await vault.StartServerAsync();
        return vault;
    }

    /// <summary>Adds or updates a secret (a new version, as Key Vault's set does).</summary>
    public void SetSecret(string name, string value, bool enabled = true) =>
        _secrets.AddOrUpdate(
            name,
            _ => new FakeSecret(name, value, enabled, NewVersion(), DateTimeOffset.UtcNow),
            (_, old) => new FakeSecret(name, value, enabled, NewVersion(), old.Updated.AddSeconds(1)));

    /// <summary>Client options whose transport trusts exactly this fake's certificate and never retries.</summary>
    public SecretClientOptions CreateClientOptions()
    {
        var options = new SecretClientOptions
        {
            Transport = FakeKeyVault.CreateTrustingTransport(_certificate),
            // The fake's challenge names the real vault resource, not 127.0.0.1.
            DisableChallengeResourceVerification = true,
        };
        options.Retry.MaxRetries = 0;
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        _certificate.Dispose();
    }

    private static string NewVersion() => Guid.NewGuid().ToString("N");

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
        VaultUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        _requests.Enqueue(new RecordedRequest(
            request.Method, (request.Path.Value ?? string.Empty) + request.QueryString.Value, request.Query["api-version"],
            authorization.Length > 0 ? authorization : null, string.Empty));

        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.Headers.WWWAuthenticate =
                "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";
            await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
            return;
        }

        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            await ErrorAsync(context, 400, "BadParameter", "The api-version query parameter is missing.");
            return;
        }

        if (FailWithStatus is { } status)
        {
            await ErrorAsync(context, status, status == 403 ? "Forbidden" : "ServiceError",
                "The user, group or application 'appid=00000000-fake' does not have secrets list permission on key vault 'fake'.");
            return;
        }

        var segments = (request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!HttpMethods.IsGet(request.Method) || segments.Length is < 1 or > 3 || segments[0] != "secrets")
        {
            await ErrorAsync(context, 400, "BadParameter", "Unsupported route.");
            return;
        }

        if (segments.Length == 1)
        {
            await ListAsync(context);
            return;
        }

        if (!_secrets.TryGetValue(segments[1], out var secret)
            || (segments.Length == 3 && segments[2] != secret.Version))
        {
            await ErrorAsync(context, 404, "SecretNotFound", $"A secret with (name/id) {segments[1]} was not found in this key vault.");
            return;
        }

        if (ForbiddenSecrets.ContainsKey(secret.Name))
        {
            await ErrorAsync(context, 403, "Forbidden",
                "The user, group or application 'appid=00000000-fake' does not have secrets get permission on key vault 'fake'.");
            return;
        }

        if (!secret.Enabled)
        {
            await ErrorAsync(context, 403, "Forbidden", "Operation get is not allowed on a disabled secret.");
            return;
        }

        await JsonAsync(context, new JsonObject
        {
            ["value"] = secret.Value,
            ["id"] = $"{Authority}/secrets/{secret.Name}/{secret.Version}",
            ["attributes"] = Attributes(secret),
        });
    }

    private string Authority => VaultUri.GetLeftPart(UriPartial.Authority);

    private Task ListAsync(HttpContext context)
    {
        var skip = int.TryParse(context.Request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var all = _secrets.Values.OrderBy(secret => secret.Name, StringComparer.Ordinal).ToList();
        var page = new JsonArray();
        foreach (var secret in all.Skip(skip).Take(PageSize))
        {
            // Like Key Vault, the list has ids without version and attributes, never values.
            page.Add(new JsonObject { ["id"] = $"{Authority}/secrets/{secret.Name}", ["attributes"] = Attributes(secret) });
        }

        var next = skip + PageSize;
        return JsonAsync(context, new JsonObject
        {
            ["value"] = page,
            ["nextLink"] = next < all.Count
                ? $"{Authority}/secrets?api-version={context.Request.Query["api-version"]}&$skiptoken={next}&maxresults={PageSize}"
                : null,
        });
    }

    private static JsonObject Attributes(FakeSecret secret) => new()
    {
        ["enabled"] = secret.Enabled,
        ["created"] = secret.Updated.ToUnixTimeSeconds(),
        ["updated"] = secret.Updated.ToUnixTimeSeconds(),
        ["recoveryLevel"] = "Recoverable+Purgeable",
    };

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

    private sealed record FakeSecret(string Name, string Value, bool Enabled, string Version, DateTimeOffset Updated)
    {
        public override string ToString() => $"FakeSecret {{ Name = {Name} }}";
    }
}
