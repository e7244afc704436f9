using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace IntegrationHub.Crisp;

/// <summary>
/// Typed client of the Crisp REST API v1. Register with <see cref="CrispServiceCollectionExtensions.AddCrispClient"/>.
/// Calls use the configured credentials (the plugin token); <see cref="WithCredentials"/> gives a view that signs
/// every call with other credentials, e.g. one tenant's website-tier token.
/// </summary>
public sealed class CrispClient
{
    /// <summary>Set on the request by the retry strategy when an attempt it retries timed out.</summary>
    internal static readonly HttpRequestOptionsKey<bool> TimedOutAttempt = new("IntegrationHub.Crisp.TimedOutAttempt");

    private static readonly ProductInfoHeaderValue UserAgent = new("IntegrationHub", HubVersion());
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly CrispCredentials? _credentials;
    private readonly TimeProvider _timeProvider;

    public CrispClient(HttpClient httpClient, IOptions<CrispClientOptions> options, TimeProvider? timeProvider = null)
        : this(httpClient, NormaliseBaseUrl(options.Value.BaseUrl), DefaultCredentials(options.Value), timeProvider ?? TimeProvider.System)
    {
    }

    private CrispClient(HttpClient httpClient, Uri baseUrl, CrispCredentials? credentials, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _baseUrl = baseUrl;
        _credentials = credentials;
        _timeProvider = timeProvider;
        Plugin = new CrispPluginApi(this);
        People = new CrispPeopleApi(this);
        Conversations = new CrispConversationsApi(this);
        Helpdesk = new CrispHelpdeskApi(this);
        Campaigns = new CrispCampaignsApi(this);
    }

    /// <summary>Plugin connect routes and per-website plugin settings.</summary>
    public CrispPluginApi Plugin { get; }

    /// <summary>Website people (contacts): profiles, data, events.</summary>
    public CrispPeopleApi People { get; }

    /// <summary>Website conversations: meta, state, messages, routing.</summary>
    public CrispConversationsApi Conversations { get; }

    /// <summary>Knowledge Base: locales and the tree API. No legacy article writes.</summary>
    public CrispHelpdeskApi Helpdesk { get; }

    /// <summary>Website campaigns.</summary>
    public CrispCampaignsApi Campaigns { get; }

    /// <summary>The tier the calls of this client are made with.</summary>
    public string? Tier => _credentials?.Tier;

    /// <summary>A view of this client whose calls all authenticate with <paramref name="credentials"/>.</summary>
    public CrispClient WithCredentials(CrispCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return new CrispClient(_http, _baseUrl, credentials, _timeProvider);
    }

    internal static HttpContent JsonBody<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, CrispJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>Sends and returns the envelope's <c>data</c> as <typeparamref name="T"/>; missing data is an error.</summary>
    internal async Task<T> SendAsync<T>(HttpMethod method, CrispPath path, HttpContent? body, CancellationToken cancellationToken)
    {
        var (status, data) = await SendForDataAsync(method, path, body, cancellationToken);
        var operation = Operation(method, path);
        if (data is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            throw new CrispApiException(status, "invalid_response", "The answer has no data.", operation);
        }

        try
        {
            return element.Deserialize<T>(CrispJson.Options)
                ?? throw new CrispApiException(status, "invalid_response", "The answer has no data.", operation);
        }
        catch (JsonException ex)
        {
            throw new CrispApiException(status, "invalid_response", "The answer's data has an unexpected shape: " + ex.Message, operation);
        }
    }

    /// <summary>
    /// Sends and returns the envelope's <c>data</c> as <typeparamref name="T"/>, or null when a 2xx carried none or an
    /// unreadable one: for writes whose data only informs, where the 2xx itself says Crisp did it. Treating such an
    /// answer as a failure dead-letters a call Crisp performed, and replaying it performs it twice (a message sent twice).
    /// </summary>
    internal async Task<T?> SendWithOptionalDataAsync<T>(HttpMethod method, CrispPath path, HttpContent? body, CancellationToken cancellationToken)
        where T : class
    {
        var (_, data) = await SendForDataAsync(method, path, body, cancellationToken);
        if (data is not { ValueKind: JsonValueKind.Object } element)
        {
            return null;
        }

        try
        {
            return element.Deserialize<T>(CrispJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Sends and checks the envelope, ignoring <c>data</c>.</summary>
    internal async Task SendAsync(HttpMethod method, CrispPath path, HttpContent? body, CancellationToken cancellationToken) =>
        await SendForDataAsync(method, path, body, cancellationToken);

    /// <summary>HEAD route: 200 → true, 404 → false, anything else throws.</summary>
    internal async Task<bool> ExistsAsync(CrispPath path, CancellationToken cancellationToken)
    {
        using var response = await TransmitAsync(HttpMethod.Head, path, null, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        // A HEAD answer has no body, so the reason is inferred from the status.
        var reason = status switch
        {
            401 => "invalid_session",
            403 => "not_allowed",
            429 or 420 => "rate_limited",
            >= 500 => "server_error",
            _ => "route_error",
        };
        throw Failure(response, status, reason, null, Operation(HttpMethod.Head, path));
    }

    private async Task<(int Status, JsonElement? Data)> SendForDataAsync(HttpMethod method, CrispPath path, HttpContent? body, CancellationToken cancellationToken)
    {
        using var response = await TransmitAsync(method, path, body, cancellationToken);
        var status = (int)response.StatusCode;
        var operation = Operation(method, path);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);

        bool? error = null;
        string? reason = null;
        string? message = null;
        JsonElement? data = null;
        var parsed = false;
        if (bytes.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    parsed = true;
                    if (root.TryGetProperty("error", out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        error = e.GetBoolean();
                    }

                    if (root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
                    {
                        reason = r.GetString();
                    }

                    if (root.TryGetProperty("data", out var d))
                    {
                        data = d.Clone();
                        if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                        {
                            message = m.GetString();
                        }
                    }
                }
            }
            catch (JsonException)
            {
                parsed = false;
            }
        }

        var success = response.IsSuccessStatusCode && error != true;
        if (!success)
        {
            throw Failure(response, status, string.IsNullOrEmpty(reason) ? "http_error" : reason, message, operation);
        }

        if (bytes.Length > 0 && !parsed)
        {
            throw new CrispApiException(status, "invalid_response", "The answer is not a Crisp JSON envelope.", operation);
        }

        return (status, data);
    }

    private async Task<HttpResponseMessage> TransmitAsync(HttpMethod method, CrispPath path, HttpContent? body, CancellationToken cancellationToken)
    {
        var credentials = _credentials
            ?? throw new InvalidOperationException("Crisp credentials are not configured: set Crisp:Identifier and Crisp:Key, or use WithCredentials.");

        using var request = new HttpRequestMessage(method, new Uri(_baseUrl, path.ToString()));
        request.Headers.Authorization = credentials.ToAuthorizationHeader();
        request.Headers.Add("X-Crisp-Tier", credentials.Tier);
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Accept.Add(AcceptJson);
        request.Content = body;

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new CrispTransportException(isTimeout: true, Operation(method, path), ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout (when the resilience pipeline is not in front) surfaces as a cancellation.
            throw new CrispTransportException(isTimeout: true, Operation(method, path), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new CrispTransportException(EarlierAttemptTimedOut(request), Operation(method, path), ex);
        }

        if ((int)response.StatusCode >= 500 && EarlierAttemptTimedOut(request))
        {
            // The retry failed, but the first attempt may have been carried out: the outcome is unknown.
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new CrispTransportException(isTimeout: true, Operation(method, path), new HttpRequestException($"Retry answered HTTP {status}."));
        }

        return response;
    }

    private static bool EarlierAttemptTimedOut(HttpRequestMessage request) =>
        request.Options.TryGetValue(TimedOutAttempt, out var timedOut) && timedOut;

    private CrispApiException Failure(HttpResponseMessage response, int status, string reason, string? message, string operation)
    {
        if (status is 429 or 420)
        {
            return new CrispRateLimitedException(status, reason, RetryAfter(response), message, operation);
        }

        return new CrispApiException(status, reason, message, operation);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string Operation(HttpMethod method, CrispPath path) => method.Method + " " + path.PathOnly;

    private static CrispCredentials? DefaultCredentials(CrispClientOptions options) =>
        string.IsNullOrWhiteSpace(options.Identifier) || string.IsNullOrWhiteSpace(options.Key)
            ? null
            : new CrispCredentials(options.Identifier, options.Key, string.IsNullOrWhiteSpace(options.Tier) ? CrispCredentials.PluginTier : options.Tier);

    internal static Uri NormaliseBaseUrl(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The Crisp base URL must be absolute.", nameof(baseUrl));
        }

        return baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    private static string HubVersion()
    {
        var version = typeof(CrispClient).Assembly.GetName().Version;
        return version is null ? "0.0.0" : version.ToString(3);
    }
}
