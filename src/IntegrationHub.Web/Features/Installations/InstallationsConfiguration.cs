using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Installations;

internal sealed class PluginSyncStateConfiguration : IEntityTypeConfiguration<PluginSyncState>
{
    public void Configure(EntityTypeBuilder<PluginSyncState> builder)
    {
        builder.ToTable("plugin_sync_state");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(20);
        builder.Property(s => s.CrispBaseUrl).HasMaxLength(400);
    }
}
