using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Web.Tests.Relay;

/// <summary>A Kestrel receiver on 127.0.0.1:0 that records every request and answers with a chosen status.</summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    private readonly WebApplication _app;

    private LoopbackReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    public int Status { get; set; } = 204;

    public string Body { get; set; } = "";

    public string? RedirectTo { get; set; }

    /// <summary>When set, sent as the answer's <c>Retry-After</c> header (seconds or an HTTP date).</summary>
    public string? RetryAfter { get; set; }

    /// <summary>How long each answer takes (to hold requests in flight while another drain runs).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>While set and not completed, every request waits for it: an endpoint that hangs until the test lets go.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>When set, the answer is <see cref="Status"/> at once and then a body that trickles a byte every 200 ms for this long.</summary>
    public TimeSpan TrickleBodyFor { get; set; }

    /// <summary>Completed when the first request has arrived.</summary>
    public TaskCompletionSource FirstRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BaseUrl { get; private set; } = "";

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            receiver.Requests.Enqueue(new Received(context.Request.Path, context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body));
            receiver.FirstRequest.TrySetResult();
            if (receiver.Hold is { } hold)
            {
                await hold.Task.WaitAsync(context.RequestAborted);
            }

            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }

            if (receiver.TrickleBodyFor > TimeSpan.Zero)
            {
                context.Response.StatusCode = receiver.Status;
                await context.Response.Body.FlushAsync(context.RequestAborted);
                var until = DateTime.UtcNow + receiver.TrickleBodyFor;
                while (DateTime.UtcNow < until && !context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.WriteAsync("x", context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(200, context.RequestAborted);
                }

                return;
            }

            if (receiver.RedirectTo is { } location)
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = location;
                return;
            }

            context.Response.StatusCode = receiver.Status;
            if (receiver.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            if (receiver.Body.Length > 0)
            {
                // Not even an empty write for a 204: Kestrel refuses any body write for it, the app "fails", and the
                // connection is closed after the answer — a drain reusing it then saw "response ended prematurely".
                await context.Response.WriteAsync(receiver.Body);
            }
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
