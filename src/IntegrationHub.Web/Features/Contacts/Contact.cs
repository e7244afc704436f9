using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Contacts;

/// <summary>
/// The hub's copy of what was last pushed for one contact (per tenant and email): what the hub asked Crisp to hold,
/// not a mirror of Crisp (operators edit profiles in Crisp too). Only the push endpoints read it (to merge, and to say
/// whether the contact is new); no page shows it yet.
/// </summary>
public sealed class Contact : ITenantOwned
{
    /// <summary>The most characters of JSON the stored profile may hold (its column's size).</summary>
    public const int ProfileMaxLength = 20_000;

    /// <summary>The most characters of JSON the stored data, and the stored context, may each hold (their columns' size).</summary>
    public const int DataMaxLength = 200_000;

    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>Lower-cased.</summary>
    public required string Email { get; set; }

    /// <summary>The last profile pushed with PUT (nickname, avatar, phone, company, segments) as JSON.</summary>
    public string Profile { get; set; } = "{}";

    /// <summary>People data keys pushed so far, merged key by key, as a JSON object.</summary>
    public string Data { get; set; } = "{}";

    /// <summary>Support context keys pushed so far, merged key by key, as a JSON object.</summary>
    public string Context { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Email).HasMaxLength(254);
        builder.Property(c => c.Profile).HasMaxLength(Contact.ProfileMaxLength);
        builder.Property(c => c.Data).HasMaxLength(Contact.DataMaxLength);
        builder.Property(c => c.Context).HasMaxLength(Contact.DataMaxLength);
        builder.HasIndex(c => new { c.TenantId, c.Email }).IsUnique();
        builder.HasIndex(c => new { c.TenantId, c.UpdatedAt });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
