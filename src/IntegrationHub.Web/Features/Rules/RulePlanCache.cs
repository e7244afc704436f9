using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Rules;

/// <summary>Options of the ingest-side rule cache (<c>Rules</c>).</summary>
public sealed class RulePlanCacheOptions
{
    public const string Section = "Rules";

    /// <summary>
    /// How long the ingest writer reuses a tenant's enabled rules and its events switch without asking the database
    /// (0 turns the cache off). A change made through this node (rule saved, switched, settings saved, install
    /// update) takes effect at once; one made on another node within this many seconds.
    /// </summary>
    [Range(0, 300)]
    public int PlanCacheSeconds { get; set; } = 2;
}

/// <summary>
/// What <see cref="RuleEventActionPlanner"/> needs per tenant — whether product events are on and the enabled rules
/// with their parsed definitions — kept for <see cref="RulePlanCacheOptions.PlanCacheSeconds"/>. Profiling showed
/// the two queries that load them as the largest share of a small group commit on PostgreSQL. A per-tenant
/// generation makes invalidation race-free: a load that began before an invalidation is not stored after it.
/// </summary>
public sealed class RulePlanCache(IOptions<RulePlanCacheOptions> options, TimeProvider clock)
{
    public sealed record Entry(bool EventsEnabled, IReadOnlyList<RulePlanner.ActiveRule> Rules);

    private readonly ConcurrentDictionary<Guid, (Entry Entry, DateTimeOffset Until, long Generation)> _entries = new();
    private readonly ConcurrentDictionary<Guid, long> _generations = new();

    public async ValueTask<Entry> GetAsync(Guid tenantId, Func<Task<Entry>> load)
    {
        var seconds = options.Value.PlanCacheSeconds;
        var generation = _generations.GetValueOrDefault(tenantId);
        if (seconds > 0 && _entries.TryGetValue(tenantId, out var cached) && cached.Generation == generation && cached.Until > clock.GetUtcNow())
        {
            return cached.Entry;
        }

        var entry = await load();
        if (seconds > 0 && _generations.GetValueOrDefault(tenantId) == generation)
        {
            _entries[tenantId] = (entry, clock.GetUtcNow().AddSeconds(seconds), generation);
        }

        return entry;
    }

    /// <summary>The tenant's rules or settings changed: the next commit reloads them.</summary>
    public void Invalidate(Guid tenantId)
    {
        _generations.AddOrUpdate(tenantId, 1, (_, g) => g + 1);
        _entries.TryRemove(tenantId, out _);
    }
}
