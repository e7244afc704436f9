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
        builder.Property(c => c.Payload).HasMaxLength(CrispCall.PayloadMaxLength);
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
        builder.HasIndex(c => new { c.TenantId, c.MessageFingerprint });
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

internal sealed class TenantDeliveryStateConfiguration : IEntityTypeConfiguration<TenantDeliveryState>
{
    public void Configure(EntityTypeBuilder<TenantDeliveryState> builder)
    {
        builder.ToTable("tenant_delivery_state");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Property(s => s.WindowLog).HasMaxLength(20_000);
        builder.Property(s => s.DrainOwner).HasMaxLength(200);
        builder.HasIndex(s => s.LastDrainAt);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PluginQuotaDayConfiguration : IEntityTypeConfiguration<PluginQuotaDay>
{
    public void Configure(EntityTypeBuilder<PluginQuotaDay> builder)
    {
        builder.ToTable("plugin_quota");
        builder.HasKey(q => q.Day);
    }
}

internal sealed class CrispPeopleEntryConfiguration : IEntityTypeConfiguration<CrispPeopleEntry>
{
    public void Configure(EntityTypeBuilder<CrispPeopleEntry> builder)
    {
        builder.ToTable("crisp_people");
        builder.HasKey(p => new { p.TenantId, p.Email });
        builder.Property(p => p.Email).HasMaxLength(320);
        builder.Property(p => p.PeopleId).HasMaxLength(100);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
