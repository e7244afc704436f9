using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// A product event a customer backend pushed, as accepted (committed) by the hub. Mapping it to Crisp calls
/// happens in the same transaction through <see cref="IEventActionPlanner"/>; the calls are delivered afterwards.
/// </summary>
public sealed class ProductEvent : ITenantOwned
{
    /// <summary>UUIDv7: time-ordered, so the primary key index stays append-only under load.</summary>
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-cased; what Crisp keys people on.</summary>
    public string? Email { get; set; }

    public string? UserId { get; set; }

    /// <summary>The event's properties as a JSON object (the customer's payload, possibly nested).</summary>
    public string Properties { get; set; } = "{}";

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>The client's own id for the event: a second event with the same id is a duplicate.</summary>
    public string? MessageId { get; set; }

    /// <summary>SHA-256 of the event as sent, to tell a retry (same body) from a reused message_id (other body).</summary>
    public required string ContentHash { get; set; }
}

internal sealed class ProductEventConfiguration : IEntityTypeConfiguration<ProductEvent>
{
    public void Configure(EntityTypeBuilder<ProductEvent> builder)
    {
        builder.ToTable("product_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Name).HasMaxLength(EventRules.NameMaxLength);
        builder.Property(e => e.Email).HasMaxLength(EventRules.EmailMaxLength);
        builder.Property(e => e.UserId).HasMaxLength(EventRules.UserIdMaxLength);
        builder.Property(e => e.Properties).HasMaxLength(EventRules.PropertiesMaxBytes);
        builder.Property(e => e.MessageId).HasMaxLength(EventRules.MessageIdMaxLength);
        builder.Property(e => e.ContentHash).HasMaxLength(64);
        builder.HasIndex(e => new { e.TenantId, e.MessageId }).IsUnique();
        // Every index is paid on every insert of the hottest table: only what a query uses. (An index on
        // (TenantId, Email, OccurredAt) that nothing read cost a third of single-event throughput: each insert
        // dirtied a random page of it.)
        builder.HasIndex(e => new { e.TenantId, e.AcceptedAt });
        // No foreign key to tenants, on purpose: PostgreSQL checks one per inserted row (a locking lookup of the
        // tenant through SPI), a fifth of its CPU per ingested event, for a tenant id that comes from an
        // authenticated API key of an installed website. TenantRetention deletes a purged website's events itself
        // (the two indexes above, both led by TenantId, find them).
    }
}
