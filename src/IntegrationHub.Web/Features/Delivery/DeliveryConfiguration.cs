using IntegrationHub.Web.Features.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Delivery;

internal sealed class CrispCallConfiguration : IEntityTypeConfiguration<CrispCall>
{
    public void Configure(EntityTypeBuilder<CrispCall> builder)
    {
        builder.ToTable("crisp_calls");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Kind).HasMaxLength(50);
        builder.Property(c => c.Payload).HasMaxLength(100_000);
        builder.Property(c => c.OrderingKey).HasMaxLength(320);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.LeaseOwner).HasMaxLength(200);
        builder.Property(c => c.LastReason).HasMaxLength(100);
        builder.Property(c => c.LastError).HasMaxLength(2000);
        builder.Ignore(c => c.IdempotencyKey);
        // The drain's question: which of this tenant's calls are due, oldest first.
        builder.HasIndex(c => new { c.TenantId, c.Status, c.NextAttemptAt, c.Id });
        builder.HasIndex(c => new { c.Status, c.NextAttemptAt });
        builder.HasIndex(c => new { c.TenantId, c.OrderingKey, c.Id });
        builder.HasIndex(c => new { c.TenantId, c.EventId });
        builder.HasIndex(c => new { c.TenantId, c.CreatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CrispCallAttemptConfiguration : IEntityTypeConfiguration<CrispCallAttempt>
{
    public void Configure(EntityTypeBuilder<CrispCallAttempt> builder)
    {
        builder.ToTable("crisp_call_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Outcome).HasMaxLength(20);
        builder.Property(a => a.Reason).HasMaxLength(100);
        builder.Property(a => a.Request).HasMaxLength(20_000);
        builder.Property(a => a.Response).HasMaxLength(4_000);
        builder.HasIndex(a => new { a.TenantId, a.CallId, a.Number });
        builder.HasOne<CrispCall>().WithMany().HasForeignKey(a => a.CallId).OnDelete(DeleteBehavior.Cascade);
    }
}
