using IntegrationHub.Web.Features.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Credentials;

internal sealed class TenantDataKeyConfiguration : IEntityTypeConfiguration<TenantDataKey>
{
    public void Configure(EntityTypeBuilder<TenantDataKey> builder)
    {
        builder.ToTable("tenant_data_keys");
        builder.HasKey(k => k.TenantId);
        builder.Property(k => k.WrappedKey).HasMaxLength(4000);
        builder.Property(k => k.KekId).HasMaxLength(500);
        builder.HasIndex(k => k.KekId);
        builder.HasOne<Tenant>().WithOne().HasForeignKey<TenantDataKey>(k => k.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenantSecretConfiguration : IEntityTypeConfiguration<TenantSecret>
{
    public void Configure(EntityTypeBuilder<TenantSecret> builder)
    {
        builder.ToTable("tenant_secrets");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.Ciphertext).HasMaxLength(20_000);
        builder.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
