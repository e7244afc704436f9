using IntegrationHub.Web.Features.Tenants;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace IntegrationHub.Web.Features.Events;

/// <summary>
/// A rule version that matched an accepted event but could not turn (one of) its actions into a Crisp call, and why:
/// stored with the event, in its commit. A rule that matched and made calls needs no row (its calls name the rule
/// version), so the common case writes nothing here; <c>GET /api/v1/events/{id}</c> and the delivery log list the
/// union as the event's matched rules.
/// </summary>
public sealed class EventRuleProblem : ITenantOwned
{
    public const int RuleMaxLength = 200;
    public const int ReasonMaxLength = 1000;

    /// <summary>Identity: the order in which the problems were found.</summary>
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid EventId { get; set; }

    public Guid RuleVersionId { get; set; }

    /// <summary>The rule's name when the event was matched (a later rename does not change what happened).</summary>
    public required string Rule { get; set; }

    public int Version { get; set; }

    public required string Reason { get; set; }

    public static EventRuleProblem From(RuleProblem problem) => new()
    {
        EventId = problem.EventId,
        RuleVersionId = problem.RuleVersionId,
        Rule = TextCut.Truncate(Printable(problem.Rule), RuleMaxLength),
        Version = problem.Version,
        Reason = TextCut.Truncate(Printable(problem.Error), ReasonMaxLength),
    };

    /// <summary>
    /// A reason can quote the event (a rendered segment too long for Crisp), whose property values may hold control
    /// characters, NUL among them — which PostgreSQL refuses in a text column, failing the whole commit and with it
    /// the event. They are shown as U+FFFD instead.
    /// </summary>
    private static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '\uFFFD' : source[i];
            }
        });
    }
}

internal sealed class EventRuleProblemConfiguration : IEntityTypeConfiguration<EventRuleProblem>
{
    public void Configure(EntityTypeBuilder<EventRuleProblem> builder)
    {
        builder.ToTable("event_rule_problems");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Rule).HasMaxLength(EventRuleProblem.RuleMaxLength);
        builder.Property(p => p.Reason).HasMaxLength(EventRuleProblem.ReasonMaxLength);
        builder.HasIndex(p => new { p.TenantId, p.EventId });
        // Rare rows (only rules that matched without a call): the foreign key's check costs nothing that matters,
        // and the tenant's purge takes them with it.
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
