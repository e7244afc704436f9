using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hangfire;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Relay;

/// <summary>
/// Drains due relay deliveries in batches (a Hangfire job every minute, and enqueued right after a fan-out).
/// Each delivery is attempted in its own tenant scope and committed on its own; non-2xx, timeouts and refused
/// targets are retried with backoff, then failed; an endpoint failing for <see cref="RelayOptions.DisableAfter"/> is disabled.
/// </summary>
public sealed class RelaySender(IServiceScopeFactory scopes, HubDbContext db, IHttpClientFactory httpClients, IOptions<RelayOptions> options, TimeProvider clock, ILogger<RelaySender> logger)
{
    public const string HttpClientName = "IntegrationHub.Relay";

    /// <summary>1 m, 5 m, 30 m, 1 h, 2 h, 4 h, 8 h, 8 h: eight attempts after the first, about a day in all.</summary>
    internal static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1),
        TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(8),
    ];

    public const int ExcerptLength = 500;

    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await db.Set<RelayDelivery>().AcrossTenants().AsNoTracking()
            .Where(d => (d.Status == RelayDeliveryStatus.Queued || d.Status == RelayDeliveryStatus.Retrying) && d.NextAttemptAt <= now)
            .OrderBy(d => d.NextAttemptAt).Take(options.Value.BatchSize)
            .Select(d => new { d.Id, d.TenantId }).ToListAsync(cancellationToken);
        foreach (var group in due.GroupBy(d => d.TenantId))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Use(group.Key);
            foreach (var item in group)
            {
                await AttemptAsync(scope.ServiceProvider, item.Id, cancellationToken);
            }
        }

        return due.Count;
    }

    private async Task AttemptAsync(IServiceProvider services, Guid deliveryId, CancellationToken cancellationToken)
    {
        var tenantDb = services.GetRequiredService<HubDbContext>();
        var relay = services.GetRequiredService<RelayService>();
        var delivery = await tenantDb.Set<RelayDelivery>().FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null || delivery.Status is RelayDeliveryStatus.Sent or RelayDeliveryStatus.Failed)
        {
            return;
        }

        var endpoint = await tenantDb.Set<RelayEndpoint>().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (endpoint is null || !endpoint.Enabled)
        {
            delivery.Status = RelayDeliveryStatus.Failed;
            delivery.ResponseExcerpt = "Endpoint disabled or deleted; not sent.";
            await tenantDb.SaveChangesAsync(cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var secrets = await relay.SigningSecretsAsync(endpoint, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("webhook-id", delivery.WebhookId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", RelaySignature.Header(secrets, delivery.WebhookId, timestamp, delivery.Payload));
        request.Headers.UserAgent.ParseAdd("IntegrationHub-Relay/1");

        var watch = Stopwatch.StartNew();
        bool ok;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadExcerptAsync(response, timeout.Token);
            delivery.LastStatus = (int)response.StatusCode;
            delivery.ResponseExcerpt = body;
            ok = response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            delivery.LastStatus = null;
            var reason = ex is HttpRequestException { InnerException: RelayTargetRefusedException refused } ? refused.Message
                : ex is OperationCanceledException ? $"Timed out after {options.Value.Timeout.TotalSeconds:0} s."
                : ex.Message;
            delivery.ResponseExcerpt = Truncate(reason);
            ok = false;
        }

        delivery.LatencyMs = watch.ElapsedMilliseconds;
        delivery.LastAttemptAt = now;
        delivery.Attempts++;
        if (ok)
        {
            delivery.Status = RelayDeliveryStatus.Sent;
            endpoint.FailingSince = null;
        }
        else
        {
            endpoint.FailingSince ??= now;
            if (delivery.Attempts > Backoff.Length)
            {
                delivery.Status = RelayDeliveryStatus.Failed;
            }
            else
            {
                delivery.Status = RelayDeliveryStatus.Retrying;
                var delay = Backoff[delivery.Attempts - 1];
                delivery.NextAttemptAt = now + delay + TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * delay.TotalMilliseconds * 0.1);
            }

            if (now - endpoint.FailingSince >= options.Value.DisableAfter)
            {
                endpoint.Enabled = false;
                endpoint.DisabledReason = $"Disabled on {now:yyyy-MM-dd HH:mm} UTC: every delivery failed since {endpoint.FailingSince:yyyy-MM-dd HH:mm} UTC "
                    + $"(last: {(delivery.LastStatus?.ToString(CultureInfo.InvariantCulture) ?? "no response")}). Fix the endpoint, then enable it again.";
                logger.LogWarning("Relay endpoint {EndpointId} of tenant {TenantId} disabled after failing since {Since}.", endpoint.Id, endpoint.TenantId, endpoint.FailingSince);
            }
        }

        await tenantDb.SaveChangesAsync(cancellationToken);
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ExcerptLength * 4];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return Truncate(Encoding.UTF8.GetString(buffer, 0, read));
    }

    private static string Truncate(string value) => value.Length <= ExcerptLength ? value : value[..ExcerptLength];
}
