using System.Collections.Concurrent;
using IntegrationHub.Security;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Credentials;

/// <summary>
/// The current tenant's secrets, encrypted with AES-256-GCM under the tenant's data key (envelope encryption).
/// Writes are staged on the DbContext and committed by the caller's SaveChanges, so a secret lands in the same
/// transaction as whatever it belongs to.
/// </summary>
public sealed class TenantSecrets(HubDbContext db, TenantContext tenant, IKeyEncryptionKeyProvider kek, DataKeyCache cache, TimeProvider clock)
{
    public async Task SetAsync(string name, string plaintext, CancellationToken cancellationToken)
    {
        var tenantId = tenant.Require();
        var dataKey = await GetOrCreateDataKeyAsync(tenantId, cancellationToken);
        var ciphertext = EnvelopeCipher.Encrypt(plaintext, dataKey, tenantId.ToString("D"), name);
        var row = await db.Set<TenantSecret>().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is null)
        {
            db.Set<TenantSecret>().Add(new TenantSecret { Id = Guid.NewGuid(), Name = name, Ciphertext = ciphertext, UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            row.Ciphertext = ciphertext;
            row.UpdatedAt = clock.GetUtcNow();
        }
    }

    /// <summary>The plaintext, or null when the tenant has no such secret. Tampered ciphertext throws.</summary>
    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var tenantId = tenant.Require();
        var row = await db.Set<TenantSecret>().AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var dataKey = await GetOrCreateDataKeyAsync(tenantId, cancellationToken);
        return EnvelopeCipher.Decrypt(row.Ciphertext, dataKey, tenantId.ToString("D"), name);
    }

    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var row = await db.Set<TenantSecret>().FirstOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (row is not null)
        {
            db.Set<TenantSecret>().Remove(row);
        }
    }

    private async Task<byte[]> GetOrCreateDataKeyAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var tracked = db.ChangeTracker.Entries<TenantDataKey>().FirstOrDefault(e => e.Entity.TenantId == tenantId)?.Entity;
        var stored = tracked ?? await db.Set<TenantDataKey>().AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (stored is not null)
        {
            return await cache.UnwrapAsync(tenantId, stored.WrappedKey, kek, cancellationToken);
        }

        var dataKey = EnvelopeCipher.GenerateDataKey();
        var wrapped = await kek.WrapAsync(dataKey, cancellationToken);
        var row = new TenantDataKey { TenantId = tenantId, WrappedKey = wrapped.Format(), KekId = wrapped.KeyId, CreatedAt = clock.GetUtcNow() };
        db.Set<TenantDataKey>().Add(row);
        cache.Remember(tenantId, row.WrappedKey, dataKey);
        return dataKey;
    }
}

/// <summary>
/// Unwrapped data keys, kept in memory so each secret read does not cost a Key Vault round trip. Keyed by the
/// wrapped form, so a rewrap or a new key never serves a stale entry.
/// </summary>
public sealed class DataKeyCache
{
    private readonly ConcurrentDictionary<(Guid Tenant, string Wrapped), byte[]> _keys = new();

    public async Task<byte[]> UnwrapAsync(Guid tenantId, string wrappedKey, IKeyEncryptionKeyProvider kek, CancellationToken cancellationToken)
    {
        if (_keys.TryGetValue((tenantId, wrappedKey), out var key))
        {
            return key;
        }

        key = await kek.UnwrapAsync(WrappedKey.Parse(wrappedKey), cancellationToken);
        _keys[(tenantId, wrappedKey)] = key;
        return key;
    }

    public void Remember(Guid tenantId, string wrappedKey, byte[] dataKey) => _keys[(tenantId, wrappedKey)] = dataKey;

    public void Forget(Guid tenantId)
    {
        foreach (var entry in _keys.Keys.Where(k => k.Tenant == tenantId))
        {
            _keys.TryRemove(entry, out _);
        }
    }
}
