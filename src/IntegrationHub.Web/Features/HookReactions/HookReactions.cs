using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Web.Features.CrispSettings;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Delivery.Executors;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.HookReactions;

/// <summary>
/// What the hub does with a tenant's hooks beyond the plugin lifecycle: the people cache, conversation state and
/// auto-replies. Runs in a scope whose tenant context is the hook's website.
/// </summary>
public sealed class HookReactionService(HubDbContext db, CrispCallOutbox outbox, AutoReplySlots slots, TimeProvider clock, ILogger<HookReactionService> logger)
{
    public static readonly string[] Events = ["people:profile:created", "people:bind:session", "session:set_state", "message:send", "message:received"];

    /// <summary>True when the hook changed something. <paramref name="occurredAt"/> is the hook's <c>timestamp</c>, when usable.</summary>
    public async Task<bool> ReactAsync(string eventName, JsonObject data, DateTimeOffset? occurredAt, CancellationToken cancellationToken)
    {
        switch (eventName)
        {
            case "people:profile:created":
                return await RememberPersonAsync(Text(data, "email"), Text(data, "people_id"), occurredAt, cancellationToken);
            case "people:bind:session":
                // The bind carries session and people ids; an email is only cached when the payload has one.
                return await RememberPersonAsync(Text(data, "email"), Text(data, "people_id"), occurredAt, cancellationToken);
            case "session:set_state":
                return await SetStateAsync(Text(data, "session_id"), Text(data, "state"), occurredAt, cancellationToken);
            case "message:received":
                return await OperatorMessageAsync(data, occurredAt, cancellationToken);
            case "message:send":
                return await VisitorMessageAsync(data, cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>
    /// The email → people_id cache, ordered by the hooks' own timestamps like <see cref="SetStateAsync"/>: Crisp retries
    /// and delivers hooks in parallel, so a profile hook older than what the cache holds (another hook's, or the
    /// drain's lookup, stamped when it asked Crisp) does not overwrite it. <c>UpdatedAt</c> is when the cached id was
    /// true. A hook without a usable timestamp is applied and leaves that time as it is.
    /// </summary>
    private async Task<bool> RememberPersonAsync(string? email, string? peopleId, DateTimeOffset? occurredAt, CancellationToken cancellationToken)
    {
        if (!Storable(email, 320) || !Storable(peopleId, 100))
        {
            return false;
        }

        var key = PeopleCache.Key(email);
        if (await db.InsertIfAbsentAsync(new CrispPeopleEntry { Email = key, PeopleId = peopleId, UpdatedAt = occurredAt ?? clock.GetUtcNow() }, cancellationToken))
        {
            return true;
        }

        var row = db.Set<CrispPeopleEntry>().Where(p => p.Email == key);
        var updated = occurredAt is { } at
            ? await row.Where(p => p.UpdatedAt <= at).ExecuteUpdateAsync(s => s.SetProperty(p => p.PeopleId, peopleId).SetProperty(p => p.UpdatedAt, at), cancellationToken)
            : await row.ExecuteUpdateAsync(s => s.SetProperty(p => p.PeopleId, peopleId), cancellationToken);
        if (updated == 0)
        {
            logger.LogInformation("Hook for people {PeopleId} ignored: a newer people_id is already known for its email.", peopleId);
        }

        return updated > 0;
    }

    /// <summary>
    /// Crisp retries hooks and delivers them in parallel, so a state can arrive after a newer one: it is applied only
    /// when it is not older (by the hook's timestamp) than the state already known. One conditional UPDATE, so two
    /// hooks processed at once cannot both pass the check and land in the wrong order. A hook without a usable
    /// timestamp cannot be placed: it is applied as before and leaves the known time as it is. The conversation's
    /// first hook inserts its row if absent, so two first hooks at once cannot fail on the insert.
    /// </summary>
    private async Task<bool> SetStateAsync(string? sessionId, string? state, DateTimeOffset? occurredAt, CancellationToken cancellationToken)
    {
        if (!ValidSession(sessionId) || !Storable(state, 40))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        if (await db.InsertIfAbsentAsync(new ConversationState { SessionId = sessionId, State = state, StateChangedAt = occurredAt, UpdatedAt = now }, cancellationToken))
        {
            return true;
        }

        var row = db.Set<ConversationState>().Where(s => s.SessionId == sessionId);
        var updated = occurredAt is { } at
            ? await row.Where(s => s.StateChangedAt == null || s.StateChangedAt <= at)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.State, state).SetProperty(x => x.StateChangedAt, at).SetProperty(x => x.UpdatedAt, now), cancellationToken)
            : await row.ExecuteUpdateAsync(s => s.SetProperty(x => x.State, state).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (updated == 0)
        {
            logger.LogInformation("Hook session:set_state '{State}' for {Session} ignored: a newer state is already known.", state, sessionId);
        }

        return updated > 0;
    }

    /// <summary>
    /// An operator's message (or Crisp's echo of one the hub sent) is recorded at the hook's own time, not when it was
    /// processed: a hook retried or processed late must neither start the auto-reply window late (an operator's
    /// answer of hours ago suppressing replies for a whole window from now) nor move a later time back. So the column
    /// only moves forward, in one conditional UPDATE. A time ahead of the hub's clock counts as now (the window is
    /// measured on the hub's clock); a hook without a usable timestamp counts as now, as before.
    /// </summary>
    private async Task<bool> OperatorMessageAsync(JsonObject data, DateTimeOffset? occurredAt, CancellationToken cancellationToken)
    {
        var sessionId = Text(data, "session_id");
        if (!ValidSession(sessionId) || Text(data, "from") != "operator")
        {
            return false;
        }

        // Notes are internal: they do not answer the visitor.
        if (Text(data, "type") == "note")
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var at = occurredAt is { } occurred && occurred < now ? occurred : now;
        var byHub = await SentByHubAsync(sessionId, Text(data, "content"), Fingerprint(data), now, cancellationToken);
        // Delivery tracking: Crisp confirms a message the hub sent; it is not an operator's answer.
        var inserted = await db.InsertIfAbsentAsync(
            byHub
                ? new ConversationState { SessionId = sessionId, UpdatedAt = now, LastHubMessageDeliveredAt = at }
                : new ConversationState { SessionId = sessionId, UpdatedAt = now, LastOperatorMessageAt = at },
            cancellationToken);
        if (inserted)
        {
            return true;
        }

        var row = db.Set<ConversationState>().Where(s => s.SessionId == sessionId);
        var updated = byHub
            ? await row.Where(s => s.LastHubMessageDeliveredAt == null || s.LastHubMessageDeliveredAt < at)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastHubMessageDeliveredAt, at).SetProperty(x => x.UpdatedAt, now), cancellationToken)
            : await row.Where(s => s.LastOperatorMessageAt == null || s.LastOperatorMessageAt < at)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastOperatorMessageAt, at).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        if (updated == 0)
        {
            logger.LogDebug("Hook message:received for {Session} changed nothing: a later message is already known.", sessionId);
        }

        return updated > 0;
    }

    /// <summary>
    /// Whether the hub sent this message into this conversation in the last day. By identity first: a call whose send
    /// returned this fingerprint. By text only among calls whose fingerprint is not known (not yet sent, or Crisp's
    /// answer carried none), so an operator typing the same words as an auto-reply is still an operator's answer.
    /// </summary>
    private async Task<bool> SentByHubAsync(string sessionId, string? content, long? fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = now - TimeSpan.FromDays(1);
        var messages = db.Set<CrispCall>().AsNoTracking().Where(c => c.Kind == CrispCallKinds.ConversationMessage && c.CreatedAt >= since);
        if (fingerprint is { } known && await messages.AnyAsync(c => c.MessageFingerprint == known, cancellationToken))
        {
            return true;
        }

        if (string.IsNullOrEmpty(content))
        {
            return false;
        }

        var payloads = await messages
            .Where(c => c.MessageFingerprint == null && c.Payload.Contains(sessionId))
            .OrderByDescending(c => c.Id).Select(c => c.Payload).Take(50).ToListAsync(cancellationToken);
        return payloads.Any(p => JsonNode.Parse(p) is JsonObject o && Text(o, "session_id") == sessionId && Text(o, "content") == content);
    }

    private async Task<bool> VisitorMessageAsync(JsonObject data, CancellationToken cancellationToken)
    {
        var sessionId = Text(data, "session_id");
        if (!ValidSession(sessionId) || Text(data, "from") != "user")
        {
            return false;
        }

        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (tenant is null || !TenantSettings.Parse(tenant.SettingsJson).Features.AutoReplies)
        {
            return false;
        }

        var rules = await db.Set<AutoReplyRule>().AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Position).ToListAsync(cancellationToken);
        if (rules.Count == 0)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        var existing = await db.Set<ConversationState>().AsNoTracking().FirstOrDefaultAsync(s => s.SessionId == sessionId, cancellationToken);
        var first = existing is null || (existing.LastAutoReplyAt is null && existing.LastOperatorMessageAt is null && existing.State is null);
        var text = data["content"]?.GetValueKind() == JsonValueKind.String ? data["content"]!.GetValue<string>() : string.Empty;
        var rule = rules.FirstOrDefault(r => Matches(r, first, text, now));
        if (rule is null)
        {
            return false;
        }

        var windowStart = now - TimeSpan.FromMinutes(Math.Max(60, rule.WindowMinutes));
        if (existing is not null && (existing.LastAutoReplyAt >= windowStart || existing.LastOperatorMessageAt >= windowStart))
        {
            logger.LogDebug("Auto-reply for {Session} skipped: window.", sessionId);
            return false;
        }

        await slots.EnsureAsync(rule.CapPerHour, cancellationToken);

        // Claim the conversation, take an hourly slot and stage the message in one commit: a crash leaves all or
        // none, and the cap holds however many hooks of the tenant run at once (see AutoReplySlot).
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // A first message inserts the conversation claimed; if another hook inserted it meanwhile, the claim is
            // the conditional UPDATE, as for a known conversation (it fails when that hook replied or an operator wrote).
            var claimed = existing is null
                && await db.InsertIfAbsentAsync(new ConversationState { SessionId = sessionId!, UpdatedAt = now, LastAutoReplyAt = now }, cancellationToken);
            claimed = claimed || await db.Set<ConversationState>()
                .Where(s => s.SessionId == sessionId
                    && (s.LastAutoReplyAt == null || s.LastAutoReplyAt < windowStart)
                    && (s.LastOperatorMessageAt == null || s.LastOperatorMessageAt < windowStart))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastAutoReplyAt, now).SetProperty(x => x.UpdatedAt, now), cancellationToken) > 0;
            if (!claimed)
            {
                return false;
            }

            if (!await slots.TakeAsync(rule.CapPerHour, now, cancellationToken))
            {
                logger.LogInformation("Auto-reply for {Session} skipped: tenant-wide cap of {Cap} per hour reached.", sessionId, rule.CapPerHour);
                return false;
            }

            outbox.Enqueue(CrispCallKinds.ConversationMessage, new { session_id = sessionId, content = rule.ReplyText }, orderingKey: "auto-reply:" + sessionId);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Auto-reply '{Rule}' queued for {Session}.", rule.Name, sessionId);
            return true;
        });
    }

    public static bool Matches(AutoReplyRule rule, bool firstMessage, string text, DateTimeOffset now) => rule.Trigger switch
    {
        AutoReplyTriggers.FirstMessage => firstMessage,
        AutoReplyTriggers.TextContains => !string.IsNullOrEmpty(rule.TextContains) && text.Contains(rule.TextContains, StringComparison.OrdinalIgnoreCase),
        AutoReplyTriggers.OutsideBusinessHours => IsOutsideBusinessHours(rule, now),
        _ => false,
    };

    public static bool IsOutsideBusinessHours(AutoReplyRule rule, DateTimeOffset now)
    {
        if (rule.FromMinute is not { } from || rule.ToMinute is not { } to)
        {
            return false;
        }

        var zone = TryZone(rule.TimeZone);
        if (zone is null)
        {
            return false;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var days = (rule.Days ?? "1,2,3,4,5").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!days.Contains(((int)local.DayOfWeek).ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            return true;
        }

        var minute = (local.Hour * 60) + local.Minute;
        return minute < from || minute >= to;
    }

    public static TimeZoneInfo? TryZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    private static long? Fingerprint(JsonObject data) =>
        data["fingerprint"] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var fingerprint) ? fingerprint : null;

    private static bool ValidSession([NotNullWhen(true)] string? sessionId) => Storable(sessionId, 100);

    /// <summary>Whether a value from a hook fits its column: not blank, not too long, and no control characters (PostgreSQL
    /// refuses a NUL, so the hook would fail on every retry and be parked as failed instead of ignored).</summary>
    private static bool Storable([NotNullWhen(true)] string? value, int maxLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength && !value.Any(char.IsControl);

    private static string? Text(JsonObject data, string name) =>
        data[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
