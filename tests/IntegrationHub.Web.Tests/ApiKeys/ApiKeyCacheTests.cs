using IntegrationHub.Web.Features.ApiKeys;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Web.Tests.ApiKeys;

/// <summary>The verified-key cache: one database lookup per key at a time, and no revoked key put back by a racing lookup.</summary>
public sealed class ApiKeyCacheTests
{
    private static ApiKeyCache Cache(FakeTimeProvider clock) => new(Options.Create(new ApiKeyAuthOptions { CacheSeconds = 2 }), clock);

    private static ApiKey Key() => new() { Id = Guid.NewGuid(), TenantId = Guid.NewGuid(), Name = "k", Prefix = "abc", SecretHash = "h", CreatedAt = DateTimeOffset.UnixEpoch };

    [Fact]
    public async Task ConcurrentMisses_ShareOneLookup()
    {
        var cache = Cache(new FakeTimeProvider());
        var key = Key();
        var release = new TaskCompletionSource<ApiKey?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lookups = 0;
        Task<ApiKey?> Lookup()
        {
            Interlocked.Increment(ref lookups);
            return release.Task;
        }

        var waiting = Enumerable.Range(0, 32).Select(_ => cache.SharedLookupAsync("hash", Lookup)).ToList();
        release.SetResult(key);
        var answers = await Task.WhenAll(waiting);

        Assert.Equal(1, lookups);
        Assert.All(answers, a => Assert.Same(key, a));
        // Once answered, the next miss looks up again (the shared lookup is not a cache of its own).
        await cache.SharedLookupAsync("hash", () => Lookup());
        Assert.Equal(2, lookups);
    }

    [Fact]
    public void Add_AfterAnEvictionSinceTheLookupBegan_IsIgnored()
    {
        var cache = Cache(new FakeTimeProvider());
        var key = Key();
        var generation = cache.Generation;

        cache.EvictKey(key.Id);
        cache.Add("hash", key, generation);

        Assert.False(cache.TryGet("hash", out _));
        cache.Add("hash", key, cache.Generation);
        Assert.True(cache.TryGet("hash", out _));
    }

    [Fact]
    public void Entry_ExpiresAfterCacheSeconds_AndEvictionRemovesItAtOnce()
    {
        var clock = new FakeTimeProvider();
        var cache = Cache(clock);
        var key = Key();
        cache.Add("hash", key, cache.Generation);
        clock.Advance(TimeSpan.FromSeconds(1.9));
        Assert.True(cache.TryGet("hash", out _));
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(cache.TryGet("hash", out _));

        cache.Add("hash", key, cache.Generation);
        cache.EvictTenant(key.TenantId);
        Assert.False(cache.TryGet("hash", out _));
    }

    [Fact]
    public void DuringARevocationsCommit_TheKeyIsNeitherAnsweredNorRemembered_AndForgottenAfter()
    {
        var cache = Cache(new FakeTimeProvider());
        var key = Key();
        var other = Key();
        cache.Add("hash", key, cache.Generation);
        cache.Add("other", other, cache.Generation);

        using (cache.HoldTenant(key.TenantId))
        {
            // The commit is running: requests ask the database, and what they learn is not kept.
            Assert.False(cache.TryGet("hash", out _));
            cache.Add("hash", key, cache.Generation);
            Assert.False(cache.TryGet("hash", out _));
            Assert.True(cache.TryGet("other", out _));
        }

        Assert.False(cache.TryGet("hash", out _));
        cache.Add("hash", key, cache.Generation);
        Assert.True(cache.TryGet("hash", out _));

        var hold = cache.HoldKey(key.Id);
        Assert.False(cache.TryGet("hash", out _));
        hold.Dispose();
        Assert.False(cache.TryGet("hash", out _));
        Assert.True(cache.TryGet("other", out _));
    }
}
