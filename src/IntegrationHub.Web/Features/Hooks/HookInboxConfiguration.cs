using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Hooks;

internal sealed class HookInboxConfiguration : IEntityTypeConfiguration<HookInboxEntry>
{
    public void Configure(EntityTypeBuilder<HookInboxEntry> builder)
    {
        builder.ToTable("hook_inbox");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.DedupKey).HasMaxLength(64);
        builder.Property(h => h.Event).HasMaxLength(100);
        builder.Property(h => h.Payload).HasMaxLength(HookOptions.MaxStoredBodyBytes);
        builder.Property(h => h.LastError).HasMaxLength(2000);
        builder.Property(h => h.Outcome).HasMaxLength(20);
        builder.HasIndex(h => h.DedupKey).IsUnique();
        builder.HasIndex(h => new { h.ProcessedAt, h.NextAttemptAt });
    }
}
