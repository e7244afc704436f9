using IntegrationHub.Web.Features.CrispSettings;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Relay;

/// <summary>The current tenant's relay endpoints and deliveries. Everything goes through the tenant query filter.</summary>
public sealed class RelayService(HubDbContext db, TenantSecrets secrets, IOptions<RelayOptions> options, TimeProvider clock, Audit.AuditLog audit)
{
    public sealed record Created(RelayEndpoint Endpoint, string Secret);

    public static string SecretName(Guid endpointId) => $"relay.endpoint.{endpointId:D}";

    public static string PreviousSecretName(Guid endpointId) => $"relay.endpoint.{endpointId:D}.previous";

    public Dictionary<string, string[]> Validate(string? url, IReadOnlyList<string>? events)
    {
        var errors = new Dictionary<string, string[]>();
        if (RelaySsrfGuard.ValidateUrl(url, options.Value.AllowPrivateTargets) is { } urlError)
        {
            errors["url"] = [urlError];
        }

        if (events is null || events.Count == 0 || events.Count > 50
            || events.Any(e => string.IsNullOrWhiteSpace(e) || e.Trim().Length > 200 || e.Any(char.IsControl)))
        {
            // Control characters: a line break would split the stored filter, a NUL is refused by PostgreSQL (a 500).
            errors["events"] = ["Between 1 and 50 event patterns of 1 to 200 characters without control characters (use * as a wildcard)."];
        }
        else if (FilterOf(events).Length > RelayEndpoint.EventFilterMaxLength)
        {
            // 50 patterns of 200 characters are more than the endpoint's column holds (a 500 on PostgreSQL).
            errors["events"] = [$"The patterns take at most {RelayEndpoint.EventFilterMaxLength} characters together (use * as a wildcard)."];
        }

        return errors;
    }

    private static string FilterOf(IReadOnlyList<string> events) => string.Join('\n', events.Select(e => e.Trim()).Distinct(StringComparer.Ordinal));

    public async Task<Created> CreateAsync(string url, IReadOnlyList<string> events, CancellationToken cancellationToken)
    {
        var endpoint = new RelayEndpoint
        {
            Id = Guid.NewGuid(),
            Url = url.Trim(),
            EventFilter = FilterOf(events),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Set<RelayEndpoint>().Add(endpoint);
        var secret = RelaySignature.NewSecret();
        await secrets.SetAsync(SecretName(endpoint.Id), secret, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new Created(endpoint, secret);
    }

    /// <summary>
    /// Changes an endpoint's URL and/or event patterns in place (null keeps the value); null for an unknown id. Its
    /// deliveries stay with it: queued and retrying ones keep their webhook id and go to the new URL, due now (a
    /// tenant moving a failing receiver wants them there, not after the next back-off), and a new URL starts a new
    /// failure streak. Replacing an endpoint by delete + create deleted its pending deliveries with it.
    /// </summary>
    public async Task<RelayEndpoint?> UpdateAsync(Guid id, string? url, IReadOnlyList<string>? events, string actor, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(id, cancellationToken);
        if (endpoint is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (url is not null && url.Trim() != endpoint.Url)
        {
            endpoint.Url = url.Trim();
            endpoint.FailingSince = null;
            await db.Set<RelayDelivery>()
                .Where(d => d.EndpointId == id && (d.Status == RelayDeliveryStatus.Queued || d.Status == RelayDeliveryStatus.Retrying) && d.NextAttemptAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), cancellationToken);
        }

        if (events is not null)
        {
            endpoint.EventFilter = FilterOf(events);
        }

        audit.Record(actor, "relay.endpoint.updated", id.ToString("D"));
        await db.SaveChangesAsync(cancellationToken);
        return endpoint;
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) => db.Set<RelayEndpoint>().CountAsync(cancellationToken);

    public Task<List<RelayEndpoint>> ListAsync(CancellationToken cancellationToken) =>
        db.Set<RelayEndpoint>().AsNoTracking().OrderBy(e => e.CreatedAt).ToListAsync(cancellationToken);

    public Task<RelayEndpoint?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<RelayEndpoint>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(id, cancellationToken);
        if (endpoint is null)
        {
            return false;
        }

        await db.Set<RelayDeliveryAttempt>().Where(a => db.Set<RelayDelivery>().Any(d => d.Id == a.DeliveryId && d.EndpointId == id)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<RelayDelivery>().Where(d => d.EndpointId == id).ExecuteDeleteAsync(cancellationToken);
        db.Set<RelayEndpoint>().Remove(endpoint);
        await secrets.RemoveAsync(SecretName(id), cancellationToken);
        await secrets.RemoveAsync(PreviousSecretName(id), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>How many rotated-out secrets sign beside the current one at most (a few rotations in one overlap).</summary>
    public const int MaxPreviousSecrets = 4;

    /// <summary>A new secret, returned once; the current one keeps signing beside it until the overlap ends. Secrets
    /// still in an earlier rotation's overlap keep signing too: a second rotation (the first secret was not copied in
    /// time, say) must not cut off the secret the receiver still checks with.</summary>
    public async Task<string?> RotateSecretAsync(Guid id, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(id, cancellationToken);
        if (endpoint is null)
        {
            return null;
        }

        var current = await secrets.GetAsync(SecretName(id), cancellationToken);
        if (current is not null)
        {
            var previous = await PreviousSecretsAsync(endpoint, cancellationToken);
            var kept = previous.Prepend(current).Distinct(StringComparer.Ordinal).Take(MaxPreviousSecrets);
            await secrets.SetAsync(PreviousSecretName(id), string.Join('\n', kept), cancellationToken);
            endpoint.PreviousSecretExpiresAt = clock.GetUtcNow() + options.Value.SecretOverlap;
        }

        var secret = RelaySignature.NewSecret();
        await secrets.SetAsync(SecretName(id), secret, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>
    /// Switches an endpoint on or off (dashboard and API alike), audited in the same commit; null for an unknown id.
    /// Only a change counts: switching on an endpoint that is on must not restart its failure clock, or a caller
    /// could keep a failing endpoint from ever being disabled.
    /// </summary>
    public async Task<RelayEndpoint?> SetEnabledAsync(Guid id, bool enabled, string actor, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(id, cancellationToken);
        if (endpoint is null || endpoint.Enabled == enabled)
        {
            return endpoint;
        }

        endpoint.Enabled = enabled;
        endpoint.DisabledReason = enabled ? null : "Disabled by a member.";
        endpoint.FailingSince = null;
        audit.Record(actor, enabled ? "relay.endpoint.enabled" : "relay.endpoint.disabled", id.ToString("D"));
        await db.SaveChangesAsync(cancellationToken);
        return endpoint;
    }

    /// <summary>The secrets that sign now: the current one, and the rotated-out ones while the overlap lasts.</summary>
    public async Task<List<string>> SigningSecretsAsync(RelayEndpoint endpoint, CancellationToken cancellationToken)
    {
        var list = new List<string>();
        if (await secrets.GetAsync(SecretName(endpoint.Id), cancellationToken) is { } current)
        {
            list.Add(current);
        }

        list.AddRange(await PreviousSecretsAsync(endpoint, cancellationToken));
        return list;
    }

    /// <summary>Rotated-out secrets still in their overlap, newest first: one per line (<c>whsec_</c> + base64 has none).</summary>
    private async Task<string[]> PreviousSecretsAsync(RelayEndpoint endpoint, CancellationToken cancellationToken) =>
        endpoint.PreviousSecretExpiresAt is { } until && until > clock.GetUtcNow()
            && await secrets.GetAsync(PreviousSecretName(endpoint.Id), cancellationToken) is { } previous
            ? previous.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];

    public async Task<List<RelayDelivery>> DeliveriesAsync(Guid? endpointId, int take, CancellationToken cancellationToken)
    {
        var query = db.Set<RelayDelivery>().AsNoTracking();
        if (endpointId is { } id)
        {
            query = query.Where(d => d.EndpointId == id);
        }

        return await query.OrderByDescending(d => d.CreatedAt).Take(take).ToListAsync(cancellationToken);
    }

    public Task<RelayDelivery?> DeliveryAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<RelayDelivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);

    /// <summary>Every attempt of a delivery, first first.</summary>
    public Task<List<RelayDeliveryAttempt>> AttemptsAsync(Guid deliveryId, CancellationToken cancellationToken) =>
        db.Set<RelayDeliveryAttempt>().AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Number).ThenBy(a => a.Id).ToListAsync(cancellationToken);

    /// <summary>A new delivery of the same event and payload, with a new webhook id, due now. The original and its
    /// attempts stay as they were; the replay points back to it and gets attempts of its own.</summary>
    /// <summary>The replay, null for an unknown delivery; <see cref="ReplayRefusedException"/> when its endpoint is gone or disabled.</summary>
    public async Task<RelayDelivery?> ReplayAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var original = await db.Set<RelayDelivery>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (original is null)
        {
            return null;
        }

        // Queued anyway, the replay failed at once ("endpoint disabled") after the caller was told it was accepted.
        var endpoint = await FindAsync(original.EndpointId, cancellationToken);
        if (endpoint is null || !endpoint.Enabled)
        {
            throw new ReplayRefusedException(endpoint is null
                ? "Its endpoint was deleted: nothing can be sent to it."
                : $"Its endpoint is disabled: enable it (dashboard, Relay, or POST /api/v1/relay/endpoints/{endpoint.Id:D}/enable) first, then replay.");
        }

        var now = clock.GetUtcNow();
        var replay = new RelayDelivery
        {
            Id = Guid.NewGuid(),
            EndpointId = original.EndpointId,
            Event = original.Event,
            Payload = original.Payload,
            WebhookId = RelaySignature.NewWebhookId(),
            CreatedAt = now,
            NextAttemptAt = now,
            ReplayOfId = original.Id,
        };
        db.Set<RelayDelivery>().Add(replay);
        await db.SaveChangesAsync(cancellationToken);
        return replay;
    }

    /// <summary>
    /// The website's "Relay Crisp events to your backend" switch (settings <c>features.relay</c>, on unless saved
    /// off). While it is off nothing is relayed for the tenant: events arriving then are not relayed and not kept for
    /// later (switching it back on relays only events that arrive afterwards), and deliveries queued before it was
    /// switched off are not sent but marked failed, where they can be replayed once it is on again.
    /// </summary>
    public async Task<bool> IsSwitchedOnAsync(CancellationToken cancellationToken)
    {
        var settings = await db.Tenants.AsNoTracking().Select(t => t.SettingsJson).SingleOrDefaultAsync(cancellationToken);
        return TenantSettings.Parse(settings).Features.Relay;
    }

    /// <summary>Fan-out of one stored hook: one delivery per enabled endpoint whose filter matches. Idempotent per
    /// hook. Nothing while the tenant has relay switched off (<see cref="IsSwitchedOnAsync"/>).</summary>
    public async Task<int> EnqueueAsync(long hookEntryId, string eventName, string payload, CancellationToken cancellationToken)
    {
        if (!await IsSwitchedOnAsync(cancellationToken))
        {
            return 0;
        }

        var endpoints = await db.Set<RelayEndpoint>().AsNoTracking().Where(e => e.Enabled).ToListAsync(cancellationToken);
        var matching = endpoints.Where(e => RelayFilter.Matches(e.Filters, eventName)).Select(e => e.Id).ToList();
        if (matching.Count == 0)
        {
            return 0;
        }

        var already = await db.Set<RelayDelivery>().AsNoTracking()
            .Where(d => d.HookEntryId == hookEntryId && matching.Contains(d.EndpointId)).Select(d => d.EndpointId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var added = 0;
        foreach (var endpointId in matching.Except(already))
        {
            db.Set<RelayDelivery>().Add(new RelayDelivery
            {
                Id = Guid.NewGuid(),
                EndpointId = endpointId,
                HookEntryId = hookEntryId,
                Event = eventName,
                Payload = payload,
                WebhookId = RelaySignature.NewWebhookId(),
                CreatedAt = now,
                NextAttemptAt = now,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return added;
    }
}

/// <summary>A replay that could not be delivered (its endpoint is gone or disabled); the message says why, for the caller.</summary>
public sealed class ReplayRefusedException(string message) : InvalidOperationException(message);
