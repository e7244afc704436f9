using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Idempotency;

/// <summary>
/// The answer given to a request that carried an <c>Idempotency-Key</c>, written in the same transaction as the
/// request's effects. A repeat of the key within its lifetime gets this answer back and changes nothing.
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned
{
    /// <summary>The most characters of answer a record holds (its column's size).</summary>
    public const int ResponseBodyMaxLength = 1_000_000;

    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of method, path and body: the same key with another request is a conflict.</summary>
    public required string RequestHash { get; set; }

    public int StatusCode { get; set; }

    /// <summary>The JSON body that was answered.</summary>
    public required string ResponseBody { get; set; }

    /// <summary>The Location header that was answered, if any.</summary>
    public string? Location { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Key).HasMaxLength(IdempotencyKeys.MaxLength);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ResponseBody).HasMaxLength(IdempotencyRecord.ResponseBodyMaxLength);
        builder.Property(r => r.Location).HasMaxLength(300);
        builder.HasIndex(r => new { r.TenantId, r.Key }).IsUnique();
        builder.HasIndex(r => r.ExpiresAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
