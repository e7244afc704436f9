using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Relay;

/// <summary>A tenant's webhook endpoint: matching Crisp events are forwarded to it, signed the Standard Webhooks way.</summary>
public sealed class RelayEndpoint : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Url { get; set; }

    /// <summary>The most characters the patterns may take together, newlines included (the column's size).</summary>
    public const int EventFilterMaxLength = 4000;

    /// <summary>Event patterns separated by newlines; <c>*</c> matches any run of characters.</summary>
    public required string EventFilter { get; set; }

    public bool Enabled { get; set; } = true;

    public string? DisabledReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the current run of failed deliveries started; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>Until when the previous secret still signs (rotation overlap).</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    public IReadOnlyList<string> Filters => EventFilter.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public static class RelayDeliveryStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Retrying = "retrying";

    /// <summary>Claimed by a drain (see <see cref="RelayDelivery.ClaimedBy"/>) and being sent now.</summary>
    public const string Sending = "sending";
    public const string Failed = "failed";
}

/// <summary>One event to one endpoint: the relay's own small outbox row, with the last attempt's outcome.</summary>
public sealed class RelayDelivery : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid EndpointId { get; set; }

    /// <summary>The hook_inbox row it came from (null for replays); with the endpoint, unique, so fan-out runs once.</summary>
    public long? HookEntryId { get; set; }

    public required string Event { get; set; }

    public required string Payload { get; set; }

    /// <summary>Standard Webhooks <c>webhook-id</c> (msg_…); the same on every retry so receivers can dedupe.</summary>
    public required string WebhookId { get; set; }

    public string Status { get; set; } = RelayDeliveryStatus.Queued;

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>HTTP status of the last attempt; null when it never got one (timeout, refused, SSRF guard).</summary>
    public int? LastStatus { get; set; }

    public long? LatencyMs { get; set; }

    /// <summary>First 500 characters of the response body, or the error.</summary>
    public string? ResponseExcerpt { get; set; }

    /// <summary>The delivery this one replays (null for a fan-out); its attempts stay with it.</summary>
    public Guid? ReplayOfId { get; set; }

    /// <summary>The drain that claimed the row (status <c>sending</c>); a concurrency token, so a drain whose lease
    /// was taken over cannot overwrite the new owner's outcome.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Until when the claim holds; a sending row whose lease ran out (its drain died) is claimed again.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
}

/// <summary>One try of a <see cref="RelayDelivery"/>: kept for every attempt, so the history outlives retries and replays.</summary>
public sealed class RelayDeliveryAttempt : ITenantOwned
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid DeliveryId { get; set; }

    /// <summary>1 for the first try of the delivery.</summary>
    public int Number { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>HTTP status; null when there was none (timeout, refused, SSRF guard): see <see cref="Error"/>.</summary>
    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    public long LatencyMs { get; set; }

    /// <summary>The response body's start, truncated, with the endpoint's secrets and URL query values redacted.</summary>
    public string? ResponseExcerpt { get; set; }
}

internal sealed class RelayEndpointConfiguration : IEntityTypeConfiguration<RelayEndpoint>
{
    public void Configure(EntityTypeBuilder<RelayEndpoint> builder)
    {
        builder.ToTable("relay_endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Url).HasMaxLength(2000);
        builder.Property(e => e.EventFilter).HasMaxLength(RelayEndpoint.EventFilterMaxLength);
        builder.Property(e => e.DisabledReason).HasMaxLength(500);
        builder.Ignore(e => e.Filters);
        builder.HasIndex(e => e.TenantId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RelayDeliveryConfiguration : IEntityTypeConfiguration<RelayDelivery>
{
    public void Configure(EntityTypeBuilder<RelayDelivery> builder)
    {
        builder.ToTable("relay_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Event).HasMaxLength(200);
        builder.Property(d => d.Payload).HasMaxLength(Hooks.HookOptions.MaxStoredBodyBytes);
        builder.Property(d => d.WebhookId).HasMaxLength(64);
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.ResponseExcerpt).HasMaxLength(500);
        builder.Property(d => d.ClaimedBy).HasMaxLength(100).IsConcurrencyToken();
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.TenantId, d.EndpointId, d.CreatedAt });
        builder.HasIndex(d => new { d.EndpointId, d.HookEntryId }).IsUnique();
        builder.HasOne<RelayEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RelayDeliveryAttemptConfiguration : IEntityTypeConfiguration<RelayDeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<RelayDeliveryAttempt> builder)
    {
        builder.ToTable("relay_delivery_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Error).HasMaxLength(500);
        builder.Property(a => a.ResponseExcerpt).HasMaxLength(500);
        builder.HasIndex(a => new { a.TenantId, a.DeliveryId, a.Number });
        builder.HasOne<RelayDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
