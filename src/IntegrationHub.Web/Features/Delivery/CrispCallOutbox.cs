using System.Text.Json;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>
/// Stages Crisp calls on the caller's DbContext. Nothing is sent here: the caller's SaveChanges commits the calls
/// together with whatever produced them, and the delivery engine drains them afterwards.
/// </summary>
public sealed class CrispCallOutbox(HubDbContext db, TenantContext tenant, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Every settings write carries the whole settings object, so the last one saved must land last: they
    /// share one ordering key (without one, two saves went out side by side, or a retried older one after the newer).</summary>
    public const string PluginSettingsOrderingKey = "plugin:settings";

    private static readonly CrispCallStatus[] PendingStatuses = [CrispCallStatus.Queued, CrispCallStatus.Sending, CrispCallStatus.Retrying, CrispCallStatus.Paused];

    /// <summary>Whether a settings write-back of the context's tenant has still to reach Crisp (queued, sending, retrying or paused).</summary>
    public static Task<bool> SettingsWritePendingAsync(HubDbContext db, CancellationToken cancellationToken) =>
        db.Set<CrispCall>().AnyAsync(c => c.Kind == CrispCallKinds.PluginSettingsUpdate && PendingStatuses.Contains(c.Status), cancellationToken);

    public CrispCall Enqueue(string kind, object payload, string? orderingKey = null, Guid? eventId = null, Guid? ruleVersionId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var now = clock.GetUtcNow();
        var call = new CrispCall
        {
            TenantId = tenant.Require(),
            Kind = kind,
            Payload = payload as string ?? JsonSerializer.Serialize(payload, Json),
            OrderingKey = (orderingKey ?? (kind == CrispCallKinds.PluginSettingsUpdate ? PluginSettingsOrderingKey : null))?.Trim().ToLowerInvariant(),
            EventId = eventId,
            RuleVersionId = ruleVersionId,
            Status = CrispCallStatus.Queued,
            NextAttemptAt = now,
            CreatedAt = now,
        };
        db.Set<CrispCall>().Add(call);
        return call;
    }
}
