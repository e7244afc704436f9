using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary>A conversation as the hub knows it from hooks: its state and when operators and auto-replies last wrote.</summary>
public sealed class ConversationState : ITenantOwned
{
    public Guid TenantId { get; set; }

    public required string SessionId { get; set; }

    /// <summary>Crisp's conversation state (pending, unresolved, resolved), or null when never seen.</summary>
    public string? State { get; set; }

    /// <summary>
    /// When Crisp says <see cref="State"/> was set: the <c>session:set_state</c> hook's own <c>timestamp</c>. Crisp
    /// retries and delivers hooks in parallel, so a hook older than this one must not overwrite it.
    /// </summary>
    public DateTimeOffset? StateChangedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastOperatorMessageAt { get; set; }

    public DateTimeOffset? LastAutoReplyAt { get; set; }

    /// <summary>When Crisp last reported (message:received) a message the hub sent into this conversation.</summary>
    public DateTimeOffset? LastHubMessageDeliveredAt { get; set; }
}

/// <summary>One auto-reply rule of a tenant. Window and cap are tenant-wide and copied on every rule of a tenant.</summary>
public sealed class AutoReplyRule : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public int Position { get; set; }

    public bool Enabled { get; set; } = true;

    public required string Name { get; set; }

    /// <summary><see cref="AutoReplyTriggers"/>.</summary>
    public required string Trigger { get; set; }

    /// <summary>For <c>text_contains</c>: matched case-insensitively.</summary>
    public string? TextContains { get; set; }

    /// <summary>For <c>outside_business_hours</c>: IANA time zone id.</summary>
    public string? TimeZone { get; set; }

    /// <summary>For <c>outside_business_hours</c>: business days, comma separated 0 (Sunday) … 6.</summary>
    public string? Days { get; set; }

    /// <summary>For <c>outside_business_hours</c>: business hours start, minutes after midnight.</summary>
    public int? FromMinute { get; set; }

    /// <summary>For <c>outside_business_hours</c>: business hours end (exclusive), minutes after midnight.</summary>
    public int? ToMinute { get; set; }

    public required string ReplyText { get; set; }

    public int WindowMinutes { get; set; } = AutoReplyTriggers.DefaultWindowMinutes;

    public int CapPerHour { get; set; } = AutoReplyTriggers.DefaultCapPerHour;
}

/// <summary>
/// One of a tenant's <c>cap_per_hour</c> auto-reply slots. A reply takes a slot not used in the last hour with a
/// conditional UPDATE in the transaction that stages the reply, so concurrent hooks can never take more than the cap
/// in any sliding hour, on SQLite (writers serialised) as on PostgreSQL (the row lock re-checks the condition).
/// </summary>
public sealed class AutoReplySlot : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary>0 … cap − 1; rows beyond the current cap are ignored.</summary>
    public int Slot { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

public static class AutoReplyTriggers
{
    public const string FirstMessage = "first_message";
    public const string OutsideBusinessHours = "outside_business_hours";
    public const string TextContains = "text_contains";
    public const int DefaultWindowMinutes = 24 * 60;
    public const int DefaultCapPerHour = 20;

    public static readonly string[] All = [FirstMessage, OutsideBusinessHours, TextContains];
}

internal sealed class ConversationStateConfiguration : IEntityTypeConfiguration<ConversationState>
{
    public void Configure(EntityTypeBuilder<ConversationState> builder)
    {
        builder.ToTable("conversation_states");
        builder.HasKey(s => new { s.TenantId, s.SessionId });
        builder.Property(s => s.SessionId).HasMaxLength(100);
        builder.Property(s => s.State).HasMaxLength(40);
        builder.HasIndex(s => new { s.TenantId, s.LastAutoReplyAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AutoReplyRuleConfiguration : IEntityTypeConfiguration<AutoReplyRule>
{
    public void Configure(EntityTypeBuilder<AutoReplyRule> builder)
    {
        builder.ToTable("auto_reply_rules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Trigger).HasMaxLength(40);
        builder.Property(r => r.TextContains).HasMaxLength(500);
        builder.Property(r => r.TimeZone).HasMaxLength(100);
        builder.Property(r => r.Days).HasMaxLength(20);
        builder.Property(r => r.ReplyText).HasMaxLength(4000);
        builder.HasIndex(r => new { r.TenantId, r.Position });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AutoReplySlotConfiguration : IEntityTypeConfiguration<AutoReplySlot>
{
    public void Configure(EntityTypeBuilder<AutoReplySlot> builder)
    {
        builder.ToTable("auto_reply_slots");
        builder.HasKey(s => new { s.TenantId, s.Slot });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
