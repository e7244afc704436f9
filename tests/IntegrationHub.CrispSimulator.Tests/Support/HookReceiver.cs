using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.CrispSimulator.Tests.Support;

/// <summary>A real HTTP endpoint on loopback that records hook POSTs and answers from a script (per request index).</summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedHook> _received = new();
    private readonly Func<int, (int Status, int DelayMs)> _script;
    private int _count;

    private HookReceiver(WebApplication app, Func<int, (int Status, int DelayMs)> script)
    {
        _app = app;
        _script = script;
    }

    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<ReceivedHook> Received => [.. _received];

    public static async Task<HookReceiver> StartAsync(Func<int, (int Status, int DelayMs)>? script = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new HookReceiver(app, script ?? (_ => (200, 0)));
        app.MapPost("/hooks", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.Single().TrimEnd('/') + "/hooks");
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var index = Interlocked.Increment(ref _count) - 1;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var (status, delay) = _script(index);
        if (delay > 0)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The simulator gave up (timeout): still recorded below.
            }
        }

        _received.Enqueue(new ReceivedHook(buffer.ToArray(), headers, status));
        context.Response.StatusCode = status;
    }

    public async Task<IReadOnlyList<ReceivedHook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (_received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedHook(byte[] Body, IReadOnlyDictionary<string, string> Headers, int AnsweredStatus)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}
