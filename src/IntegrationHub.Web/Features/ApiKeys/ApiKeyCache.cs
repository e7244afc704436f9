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
/// request. Revocation and uninstall evict their entries on this node. Concurrent checks of the same key share
/// one database lookup: without that, every expiry sent all in-flight requests (64 in the benchmark) to the
/// database at once, each on its own pooled connection. An eviction also bumps a generation, so a lookup that
/// started before a revocation cannot put the revoked key back.
/// </summary>
public sealed class ApiKeyCache(IOptions<ApiKeyAuthOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<ApiKey?>>> _lookups = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Keys being revoked or uninstalled right now (see <see cref="HoldTenant"/>); almost always none.</summary>
    private volatile Func<ApiKey, bool>[] _holds = [];

    private readonly Lock _holdsGate = new();

    /// <summary>Taken before a database lookup and handed back to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string hash, out ApiKey key) => TryGet(hash.AsSpan(), out key);

    /// <summary>The same, for a hash held on the stack (the per-request path allocates no string for it).</summary>
    public bool TryGet(ReadOnlySpan<char> hash, out ApiKey key)
    {
        key = null!;
        var entries = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        if (options.Value.CacheSeconds == 0 || !entries.TryGetValue(hash, out var entry))
        {
            return false;
        }

        if (entry.Until <= clock.GetUtcNow())
        {
            entries.TryRemove(hash, out _);
            return false;
        }

        if (Held(entry.Key))
        {
            return false;
        }

        key = entry.Key;
        return true;
    }

    /// <summary>
    /// Runs <paramref name="lookup"/> for this key unless one is already running, whose answer is then shared. The
    /// lookup must not depend on one caller's cancellation (it may answer several requests).
    /// </summary>
    public async Task<ApiKey?> SharedLookupAsync(string hash, Func<Task<ApiKey?>> lookup)
    {
        var shared = _lookups.GetOrAdd(hash, _ => new Lazy<Task<ApiKey?>>(lookup));
        try
        {
            return await shared.Value;
        }
        finally
        {
            _lookups.TryRemove(KeyValuePair.Create(hash, shared));
        }
    }

    /// <summary>Remembers a verified key, unless something was evicted since <paramref name="generation"/> was read.</summary>
    public void Add(string hash, ApiKey key, long generation)
    {
        if (options.Value.CacheSeconds > 0 && generation == Generation && !Held(key))
        {
            if (_entries.Count > 100_000)
            {
                _entries.Clear();
            }

            _entries[hash] = (key, clock.GetUtcNow().AddSeconds(options.Value.CacheSeconds));
            if (generation != Generation)
            {
                // An eviction ran while this was being stored: drop it rather than trust a maybe-revoked key.
                _entries.TryRemove(hash, out _);
            }
        }
    }

    public void EvictKey(Guid keyId) => Evict(e => e.Id == keyId);

    public void EvictTenant(Guid tenantId) => Evict(e => e.TenantId == tenantId);

    /// <summary>
    /// For a revocation's commit: until disposed, the key is neither answered from memory nor remembered, so every
    /// request meanwhile asks the database — which says valid until the commit and revoked from it. Evicting only after
    /// the commit left a moment in which the database said revoked and a cached key still answered.
    /// Disposing evicts the key (whether the commit happened or not) and lifts the hold.
    /// </summary>
    public IDisposable HoldKey(Guid keyId) => Hold(e => e.Id == keyId);

    /// <summary>The same for an uninstall's commit: every key of the tenant.</summary>
    public IDisposable HoldTenant(Guid tenantId) => Hold(e => e.TenantId == tenantId);

    private bool Held(ApiKey key)
    {
        var holds = _holds;
        foreach (var hold in holds)
        {
            if (hold(key))
            {
                return true;
            }
        }

        return false;
    }

    private Release Hold(Func<ApiKey, bool> match)
    {
        lock (_holdsGate)
        {
            _holds = [.. _holds, match];
        }

        Evict(match);
        return new Release(this, match);
    }

    private sealed class Release(ApiKeyCache cache, Func<ApiKey, bool> match) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1)
            {
                return;
            }

            cache.Evict(match);
            lock (cache._holdsGate)
            {
                cache._holds = [.. cache._holds.Where(h => !ReferenceEquals(h, match))];
            }
        }
    }

    private void Evict(Func<ApiKey, bool> match)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (hash, entry) in _entries)
        {
            if (match(entry.Key))
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }
}
