using System.Collections.Concurrent;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.ApiKeys;

/// <summary>
/// Keeps <see cref="ApiKey.LastUsedAt"/> (what owners look at before revoking a key) without a database write on the
/// request path: a request only notes the use in memory, at most once per key per <see cref="Resolution"/>, and this
/// service writes the noted uses every <see cref="FlushInterval"/>. The write used to run inside the key lookup, so a
/// request waited for the write lock (SQLite) or the key's row lock (PostgreSQL) and answered 503 when that timed
/// out. A failed write is logged and retried on the next round; it never fails a request.
/// </summary>
public sealed class ApiKeyUsage(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiKeyUsage> logger) : BackgroundService
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(15);

    /// <summary>When each key's use was last noted; bounded by the number of keys.</summary>
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _noted = new();

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    /// <summary>One round at a time, so a flush returns only once every use noted before it has been written or failed.</summary>
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Runs on every authenticated API request: one dictionary read, a write at most once a minute per key.</summary>
    public void Record(ApiKey key)
    {
        var now = clock.GetUtcNow();
        if (_noted.TryGetValue(key.Id, out var noted) && now - noted < Resolution)
        {
            return;
        }

        _noted[key.Id] = now;
        _pending[key.Id] = now;
    }

    /// <summary>Writes the noted uses; a key whose write fails stays noted for the next round.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await WriteNotedAsync(cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task WriteNotedAsync(CancellationToken cancellationToken)
    {
        foreach (var keyId in _pending.Keys)
        {
            if (!_pending.TryRemove(keyId, out var usedAt))
            {
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
                // Hub-wide by key id, as the key lookup is: the request's tenant was learnt from this very key.
                await db.ApiKeys.AcrossTenants()
                    .Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < usedAt))
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, usedAt), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _pending.TryAdd(keyId, usedAt);
                logger.LogWarning("Recording API key use failed; retried in {Interval}: {Error}", FlushInterval, ex.GetType().Name + ": " + ex.Message);
                return;
            }
        }
    }

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping: uses noted since the last round are written on the way out, below.
        }

        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await FlushAsync(last.Token);
        }
        catch (OperationCanceledException)
        {
            // The database did not answer in time: a minute of "last used" is not worth holding the shutdown.
        }
    }
}
