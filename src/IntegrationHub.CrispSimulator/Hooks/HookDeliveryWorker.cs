using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using IntegrationHub.Crisp.Hooks;

namespace IntegrationHub.CrispSimulator.Hooks;

/// <summary>
/// Delivers queued Plugin Hooks: POST with the Crisp headers and signature, retried on non-2xx, timeouts and
/// connection errors after <c>base * 2^(attempt-1)</c>, up to the attempt limit. Every attempt lands in the hook log.
/// </summary>
public sealed class HookDeliveryWorker(
    CrispSimulatorState state, IHttpClientFactory httpClientFactory, ILogger<HookDeliveryWorker> logger) : BackgroundService
{
    public const string HttpClientName = "IntegrationHub.CrispSimulator.Hooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var record in state.HookQueue.ReadAllAsync(stoppingToken))
            {
                await AttemptAsync(record, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    private async Task AttemptAsync(HookRecord record, CancellationToken stoppingToken)
    {
        int attempt;
        lock (state.Sync)
        {
            if (record.Generation != state.Generation || record.Status != "pending")
            {
                return;
            }

            attempt = record.Attempts.Count + 1;
        }

        var sentAt = state.Now;
        var timestamp = sentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var signature = CrispHookSignature.Compute(record.Secret, timestamp, record.Body);
        int? statusCode = null;
        string? error = null;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, record.Url);
            request.Content = new ByteArrayContent(record.Body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("User-Agent", "Crisp-HooksDeliver 1.0");
            request.Headers.Add("X-Crisp-Signature", signature);
            request.Headers.Add("X-Crisp-Request-Timestamp", timestamp);
            request.Headers.Add("X-Crisp-Hook-Origin", $"plugin/rtm {state.Options.PluginId} production");
            request.Headers.Add("X-Delivery-Attempt-Count", attempt.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Delivery-Attempt-Limit", record.AttemptLimit.ToString(CultureInfo.InvariantCulture));

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(record.Timeout);
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            statusCode = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = "timeout";
        }
        catch (HttpRequestException exception)
        {
            error = exception.Message;
        }
        catch (InvalidOperationException exception)
        {
            error = exception.Message; // e.g. a relative or malformed hook URL
        }

        var delivered = statusCode is >= 200 and < 300;
        bool retry;
        lock (state.Sync)
        {
            record.Attempts.Add(new HookAttempt(attempt, sentAt, timestamp, signature, statusCode, error, stopwatch.ElapsedMilliseconds));
            retry = !delivered && attempt < record.AttemptLimit;
            record.Status = delivered ? "delivered" : retry ? "pending" : "failed";
        }

        if (!delivered)
        {
            logger.LogInformation(
                "Hook {Event} #{Id} attempt {Attempt}/{Limit} failed ({Status})",
                record.Event, record.Id, attempt, record.AttemptLimit, statusCode?.ToString(CultureInfo.InvariantCulture) ?? error);
        }

        if (retry)
        {
            var delay = record.BackoffBase * Math.Pow(2, attempt - 1);
            _ = RequeueLaterAsync(record, delay, stoppingToken);
        }
    }

    private async Task RequeueLaterAsync(HookRecord record, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, state.Time, stoppingToken);
            state.HookQueueWriter.TryWrite(record);
        }
        catch (OperationCanceledException)
        {
            // Host shutting down: the hook stays pending.
        }
    }
}
