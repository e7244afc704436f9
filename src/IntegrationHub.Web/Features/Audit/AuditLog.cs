using IntegrationHub.Web.Infrastructure.Data;

namespace IntegrationHub.Web.Features.Audit;

/// <summary>Stages an audit entry in the caller's transaction, so the change and its record commit together.</summary>
public sealed class AuditLog(HubDbContext db, TimeProvider clock)
{
    public void Record(string actor, string action, string? target = null, string? details = null) =>
        db.Set<AuditEntry>().Add(new AuditEntry
        {
            Actor = actor.Length > 256 ? actor[..256] : actor,
            Action = action,
            Target = target is { Length: > 300 } ? target[..300] : target,
            Details = details is { Length: > 2000 } ? details[..2000] : details,
            At = clock.GetUtcNow(),
        });
}
