using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Crisp.Tests.Client;

/// <summary>A request as the stub saw it (the content is read eagerly, before the client disposes it).</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body, string? ContentType);

/// <summary>Primary handler standing in for api.crisp.chat; answers with a scripted function per call number.</summary>
public sealed class StubCrispHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> _respond;
    private readonly List<RecordedRequest> _requests = [];

    public StubCrispHandler(Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Envelope(HttpStatusCode status, string dataJson, string reason = "resolved") =>
        Json(status, $$"""{"error":false,"reason":"{{reason}}","data":{{dataJson}}}""");

    public static HttpResponseMessage Error(HttpStatusCode status, string reason, string? message = null) =>
        Json(status, message is null
            ? $$$"""{"error":true,"reason":"{{{reason}}}","data":{}}"""
            : $$$"""{"error":true,"reason":"{{{reason}}}","data":{"message":"{{{message}}}"}}""");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body, request.Content?.Headers.ContentType?.ToString());
        int attempt;
        lock (_requests)
        {
            _requests.Add(recorded);
            attempt = _requests.Count;
        }

        var response = await _respond(recorded, attempt, cancellationToken);
        response.RequestMessage = request;
        return response;
    }
}

/// <summary>A <see cref="CrispClient"/> built by the real DI registration, with the stub as primary handler.</summary>
public sealed class StubbedCrispClient : IDisposable
{
    public const string Identifier = "plugin-identifier-1234";
    public const string Key = "plugin-key-super-secret-5678";

    private readonly ServiceProvider _services;

    public StubbedCrispClient(
        Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond,
        Action<CrispClientOptions>? configure = null,
        TimeProvider? timeProvider = null,
        Action<IServiceCollection>? configureServices = null)
    {
        Handler = new StubCrispHandler(respond);
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        configureServices?.Invoke(services);

        services.AddCrispClient(o =>
            {
                o.BaseUrl = new Uri("https://crisp.test/v1/");
                o.Identifier = Identifier;
                o.Key = Key;
                o.RetryDelay = TimeSpan.FromMilliseconds(10);
                configure?.Invoke(o);
            })
            .ConfigurePrimaryHttpMessageHandler(() => Handler);
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<CrispClient>();
    }

    public StubbedCrispClient(Func<RecordedRequest, int, HttpResponseMessage> respond, Action<CrispClientOptions>? configure = null)
        : this((r, n, _) => Task.FromResult(respond(r, n)), configure)
    {
    }

    public StubCrispHandler Handler { get; }

    public CrispClient Client { get; }

    public void Dispose() => _services.Dispose();
}
