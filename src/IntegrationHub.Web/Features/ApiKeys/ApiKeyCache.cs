using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.ApiKeys;

/// <summary>API-key authentication options (<c>Api:Auth</c>).</summary>
public sealed class ApiKeyAuthOptions
{
    public const string Section = "Api:Auth";

    /// <summary>
    /// How long a successful key check is reused without asking the database (0 turns the cache off). Revoking a key
    /// or uninstalling a website on this node takes effect at once; on other nodes within this many seconds.
    /// </summary>
    [Range(0, 300)]
    public int CacheSeconds { get; set; } = 2;
}

/// <summary>
/// The hot path's shortcut: a presented key (by its SHA-256, never the plaintext) that checked out a moment ago
/// is trusted again for <see cref="ApiKeyAuthOptions.CacheSeconds"/>, so ingestion does not pay two queries per
/// request. Revocation and uninstall evict their entries on this node.
/// </summary>
public sealed class ApiKeyCache(IOptions<ApiKeyAuthOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string hash, out ApiKey key)
    {
        key = null!;
        if (options.Value.CacheSeconds == 0 || !_entries.TryGetValue(hash, out var entry))
        {
            return false;
        }

        if (entry.Until <= clock.GetUtcNow())
        {
            _entries.TryRemove(hash, out _);
            return false;
        }

        key = entry.Key;
        return true;
    }

    public void Add(string hash, ApiKey key)
    {
        if (options.Value.CacheSeconds > 0)
        {
            if (_entries.Count > 100_000)
            {
                _entries.Clear();
            }

            _entries[hash] = (key, clock.GetUtcNow().AddSeconds(options.Value.CacheSeconds));
        }
    }

    public void EvictKey(Guid keyId) => Evict(e => e.Id == keyId);

    public void EvictTenant(Guid tenantId) => Evict(e => e.TenantId == tenantId);

    private void Evict(Func<ApiKey, bool> match)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (match(entry.Key))
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }
}
