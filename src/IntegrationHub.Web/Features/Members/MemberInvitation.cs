using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Members;

/// <summary>
/// An invitation into a tenant that its account has not taken up yet, so that owners see what they sent and can
/// revoke it: accepting an existing account's link needs this row, and revoking a new account's invitation removes
/// the membership it was given at once. The link itself is never stored.
/// </summary>
public sealed class MemberInvitation : ITenantOwned
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The invited account (created passwordless by the invitation when the address had none).</summary>
    public required string UserId { get; set; }

    public required string Email { get; set; }

    public TenantRole Role { get; set; }

    /// <summary>True when the invitation created the account and its membership at once (see <see cref="MemberInvitations"/>).</summary>
    public bool NewAccount { get; set; }

    public required string InvitedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the link stops working (the lifespan of Identity's tokens).</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class MemberInvitationConfiguration : IEntityTypeConfiguration<MemberInvitation>
{
    public void Configure(EntityTypeBuilder<MemberInvitation> builder)
    {
        builder.ToTable("member_invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.Role).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.InvitedBy).HasMaxLength(256);
        builder.HasIndex(i => new { i.TenantId, i.UserId }).IsUnique();
        builder.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<HubUser>().WithMany().HasForeignKey(i => i.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
