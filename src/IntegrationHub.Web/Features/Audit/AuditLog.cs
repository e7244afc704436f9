using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Text;

namespace IntegrationHub.Web.Features.Audit;

/// <summary>Stages an audit entry in the caller's transaction, so the change and its record commit together.</summary>
public sealed class AuditLog(HubDbContext db, TimeProvider clock)
{
    public void Record(string actor, string action, string? target = null, string? details = null) =>
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            Actor = TextCut.Truncate(actor, 256),
            Action = action,
            Target = target is null ? null : TextCut.Truncate(target, 300),
            Details = details is null ? null : TextCut.Truncate(details, 2000),
            At = clock.GetUtcNow(),
        });
}
