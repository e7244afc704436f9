using IntegrationHub.Web.Features.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Audit;

internal sealed class AuditConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(50);
        builder.Property(a => a.Target).HasMaxLength(300);
        builder.Property(a => a.Details).HasMaxLength(2000);
        builder.HasIndex(a => new { a.TenantId, a.At });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
