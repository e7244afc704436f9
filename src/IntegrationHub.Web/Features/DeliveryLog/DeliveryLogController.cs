using System.Text.Encodings.Web;
using System.Text.Json;
using IntegrationHub.Web.Features.Audit;
using IntegrationHub.Web.Features.Delivery;
using IntegrationHub.Web.Features.Events;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Features.Rules;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.DeliveryLog;

/// <summary>
/// The tenant's delivery log: every Crisp call newest first, filtered and paged by id (keyset: cheap on a table
/// of millions), one call with all its attempts, and replay of dead letters (Editors and Owners).
/// </summary>
[Authorize]
[Route("t/{websiteId}/deliveries")]
[RequireTenantRole(TenantRole.Viewer)]
public sealed class DeliveryLogController(HubDbContext db, DeliveryAdmin admin, AuditLog audit, TimeProvider clock) : Controller
{
    public const int PageSize = 50;

    private string Actor => User.Identity?.Name ?? "unknown";

    private bool CanReplay => HttpContext.Features.Get<TenantAccess>()?.Allows(TenantRole.Editor) == true;

    private string RouteWebsite => (string)RouteData.Values[DashboardTenantResolver.RouteKey]!;

    /// <summary>One page of the filtered list: <c>before</c> an id for older calls, <c>after</c> an id for newer ones.</summary>
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] DeliveryLogFilter filter, long? before, long? after, CancellationToken cancellationToken)
    {
        filter = filter.Normalized();
        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        var (calls, errors) = filter.Apply(db);
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new DeliveryLogModel(website, filter, errors, [], null, null, CanReplay, 0));
        }

        List<CrispCall> page;
        if (after is { } afterId)
        {
            page = await calls.AsNoTracking().Where(c => c.Id > afterId).OrderBy(c => c.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
            var hasNewer = page.Count > PageSize;
            page = [.. page.Take(PageSize).Reverse()];
            return View(await ModelAsync(website, filter, page, hasNewer, hasOlder: page.Count > 0, calls, cancellationToken));
        }

        var query = calls.AsNoTracking();
        if (before is { } beforeId)
        {
            query = query.Where(c => c.Id < beforeId);
        }

        page = await query.OrderByDescending(c => c.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        var hasOlder = page.Count > PageSize;
        page = [.. page.Take(PageSize)];
        return View(await ModelAsync(website, filter, page, hasNewer: before is not null && page.Count > 0, hasOlder, calls, cancellationToken));
    }

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Detail(long id, CancellationToken cancellationToken)
    {
        // The query filter hides another tenant's call: its id answers 404 like one that does not exist.
        var call = await db.Set<CrispCall>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (call is null)
        {
            return NotFound();
        }

        var attempts = await db.Set<CrispCallAttempt>().AsNoTracking().Where(a => a.CallId == id)
            .OrderBy(a => a.Number).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        var eventName = call.EventId is { } eventId
            ? await db.Set<ProductEvent>().Where(e => e.Id == eventId).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken)
            : null;
        var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
        return View(new DeliveryDetailModel(website, call, eventName, Pretty(call.Payload), attempts, CanReplay));
    }

    /// <summary>Replays one dead call. The id is not constrained in the route so that a malformed one reaches the
    /// role and antiforgery checks like any other post (and then answers 404).</summary>
    [HttpPost("{id}/replay")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> ReplayOne(long id, CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return NotFound();
        }

        var call = await db.Set<CrispCall>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (call is null)
        {
            return NotFound();
        }

        var requeued = await InTransactionAsync(async () =>
        {
            var count = await admin.ReplayAsync(id, cancellationToken);
            if (count > 0)
            {
                audit.Record(Actor, "delivery.replayed", $"call {id}", $"{count} dead call re-queued");
                await db.SaveChangesAsync(cancellationToken);
            }

            return count;
        }, cancellationToken);

        TempData["Message"] = requeued > 0
            ? $"Call {id} re-queued: 1 call will be sent again with a fresh set of attempts."
            : $"Call {id} was not re-queued: only dead calls can be replayed (it is {call.Status.ToString().ToLowerInvariant()}).";
        return Redirect($"/t/{RouteWebsite}/deliveries/{id}");
    }

    /// <summary>Replays every dead call matching the filter the list showed (its fields come back as hidden inputs).</summary>
    [HttpPost("replay")]
    [RequireTenantRole(TenantRole.Editor)]
    public async Task<IActionResult> ReplayMatching([FromForm] DeliveryLogFilter filter, CancellationToken cancellationToken)
    {
        filter = filter.Normalized();
        var (calls, errors) = filter.Apply(db);
        if (errors.Count > 0)
        {
            var website = await db.Tenants.AsNoTracking().SingleAsync(cancellationToken);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("Index", new DeliveryLogModel(website, filter, errors, [], null, null, CanReplay, 0));
        }

        var now = clock.GetUtcNow();
        var requeued = await InTransactionAsync(async () =>
        {
            // The same reset as DeliveryAdmin.ReplayAsync (the CLI's replay), over the filtered set: dead only.
            var count = await calls.Where(c => c.Status == CrispCallStatus.Dead).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, CrispCallStatus.Queued)
                .SetProperty(c => c.FailedAttempts, 0)
                .SetProperty(c => c.NextAttemptAt, now)
                .SetProperty(c => c.CompletedAt, (DateTimeOffset?)null), cancellationToken);
            if (count > 0)
            {
                audit.Record(Actor, "delivery.replayed", filter.Describe(), $"{count} dead calls re-queued");
                await db.SaveChangesAsync(cancellationToken);
            }

            return count;
        }, cancellationToken);

        TempData["Message"] = requeued switch
        {
            0 => "No dead calls match this filter: nothing was re-queued.",
            1 => "1 dead call re-queued.",
            _ => $"{requeued} dead calls re-queued.",
        };
        var query = new QueryBuilder(filter.Pairs());
        return Redirect($"/t/{RouteWebsite}/deliveries{query}");
    }

    private async Task<DeliveryLogModel> ModelAsync(Tenants.Tenant website, DeliveryLogFilter filter, List<CrispCall> page, bool hasNewer, bool hasOlder,
        IQueryable<CrispCall> filtered, CancellationToken cancellationToken)
    {
        var eventIds = page.Where(c => c.EventId is not null).Select(c => c.EventId!.Value).Distinct().ToList();
        var names = eventIds.Count == 0
            ? new Dictionary<Guid, string>()
            : await db.Set<ProductEvent>().AsNoTracking().Where(e => eventIds.Contains(e.Id))
                .Select(e => new { e.Id, e.Name }).ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        var rows = page.Select(c => new DeliveryRow(c, c.EventId is { } e && names.TryGetValue(e, out var n) ? n : null)).ToList();
        var deadMatching = CanReplay ? await filtered.CountAsync(c => c.Status == CrispCallStatus.Dead, cancellationToken) : 0;
        return new DeliveryLogModel(website, filter, new Dictionary<string, string>(), rows,
            hasNewer && rows.Count > 0 ? rows[0].Call.Id : null,
            hasOlder && rows.Count > 0 ? rows[^1].Call.Id : null,
            CanReplay, deadMatching)
        {
            Event = await EventMatchesAsync(filter, cancellationToken),
        };
    }

    /// <summary>
    /// Filtered by one event's id: the rules that event matched (what <c>GET /api/v1/events/{id}</c> lists), each with
    /// its calls and, for a rule that matched without making its calls, why — so an event with no call says why.
    /// </summary>
    private async Task<EventMatches?> EventMatchesAsync(DeliveryLogFilter filter, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(filter.Event, out var eventId))
        {
            return null;
        }

        // Tenant-filtered like everything here: another website's event id shows nothing.
        var name = await db.Set<ProductEvent>().AsNoTracking().Where(e => e.Id == eventId).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return null;
        }

        var callVersions = await db.Set<CrispCall>().AsNoTracking().Where(c => c.EventId == eventId && c.RuleVersionId != null)
            .OrderBy(c => c.Id).Select(c => c.RuleVersionId!.Value).ToListAsync(cancellationToken);
        var problems = await db.Set<EventRuleProblem>().AsNoTracking().Where(p => p.EventId == eventId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var withCalls = callVersions.Distinct().ToList();
        var versions = await (from v in db.Set<RuleVersion>().AsNoTracking()
                              join r in db.Set<Rule>().AsNoTracking() on v.RuleId equals r.Id
                              where withCalls.Contains(v.Id)
                              select new { v.Id, r.Name, v.Version }).ToDictionaryAsync(v => v.Id, cancellationToken);
        var rules = new List<MatchedRule>();
        foreach (var id in withCalls.Concat(problems.Select(p => p.RuleVersionId)).Distinct())
        {
            var reasons = problems.Where(p => p.RuleVersionId == id).ToList();
            var rule = "(unknown rule)";
            int? version = null;
            if (reasons.Count > 0)
            {
                (rule, version) = (reasons[0].Rule, reasons[0].Version);
            }
            else if (versions.TryGetValue(id, out var known))
            {
                (rule, version) = (known.Name, known.Version);
            }

            rules.Add(new MatchedRule(id, rule, version, callVersions.Count(c => c == id), reasons.Select(p => p.Reason).ToList()));
        }

        return new EventMatches(eventId, name, rules);
    }

    private Task<int> InTransactionAsync(Func<Task<int>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, DashboardFormat.ReadableJson);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}

public sealed record DeliveryRow(CrispCall Call, string? EventName);

public sealed record DeliveryLogModel(
    Tenants.Tenant Website,
    DeliveryLogFilter Filter,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<DeliveryRow> Rows,
    long? NewerAfter,
    long? OlderBefore,
    bool CanReplay,
    int DeadMatching)
{
    /// <summary>With the filter on one event's id: the rules that event matched.</summary>
    public EventMatches? Event { get; init; }

    public string? Error(string field) => Errors.TryGetValue(field, out var message) ? message : null;

    /// <summary>This list's URL with the filter and one paging parameter.</summary>
    public string PageUrl(string? key, long? value)
    {
        var pairs = Filter.Pairs().ToList();
        if (key is not null && value is { } v)
        {
            pairs.Add(new(key, v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return $"/t/{Website.WebsiteId}/deliveries{new QueryBuilder(pairs)}";
    }
}

/// <summary>The rules an event matched when it was accepted (<see cref="EventRuleProblem"/> and the calls' rule versions).</summary>
public sealed record EventMatches(Guid EventId, string EventName, IReadOnlyList<MatchedRule> Rules);

/// <summary>One matched rule version: how many calls it made for the event, and why it made none (or not all).</summary>
public sealed record MatchedRule(Guid RuleVersionId, string Rule, int? Version, int Calls, IReadOnlyList<string> Reasons);

public sealed record DeliveryDetailModel(Tenants.Tenant Website, CrispCall Call, string? EventName, string Payload, IReadOnlyList<CrispCallAttempt> Attempts, bool CanReplay);

/// <summary>Small rendering helpers shared by the dashboard's list pages.</summary>
public static class DashboardFormat
{
    /// <summary>
    /// JSON shown on a page, indented and as people wrote it: "Renée", "東京" and "&lt;b&gt;" rather than the default
    /// encoder's \u00E9 escapes. Unescaped is safe here because Razor HTML-encodes whatever it writes into the page.
    /// </summary>
    public static readonly JsonSerializerOptions ReadableJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string StatusName(CrispCallStatus status) => status.ToString().ToLowerInvariant();
}
