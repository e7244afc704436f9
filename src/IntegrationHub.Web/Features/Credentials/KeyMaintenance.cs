using IntegrationHub.Security;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Credentials;

/// <summary>
/// <c>keys rotate</c> and <c>keys verify</c>. Rotation re-wraps each data key under the provider's current
/// key-encryption key, one row per commit: an interrupted run leaves every row readable (old or new wrap) and the
/// next run carries on where it stopped. Secrets themselves are not re-encrypted: their data keys do not change.
/// </summary>
public sealed class KeyMaintenance(HubDbContext db, IKeyEncryptionKeyProvider kek, DataKeyCache cache, TimeProvider clock)
{
    public sealed record RotationResult(string CurrentKekId, bool CreatedNewKek, int Rewrapped, int AlreadyCurrent, IReadOnlyList<RotationFailure> Failures);

    public sealed record RotationFailure(Guid TenantId, string Reason);

    public sealed record VerificationFailure(Guid TenantId, string SecretName, string Reason);

    /// <summary>What a failure names when the tenant's data key itself does not unwrap (none of its secrets can be read).</summary>
    public const string DataKeyName = "(data key)";

    public sealed record VerificationResult(int TenantsChecked, int SecretsChecked, IReadOnlyList<VerificationFailure> Failures);

    public async Task<RotationResult> RotateAsync(CancellationToken cancellationToken)
    {
        // Resume first: rows an interrupted run left under an older key are re-wrapped to the current one.
        var current = await kek.GetCurrentKeyIdAsync(cancellationToken);
        var failed = new Dictionary<Guid, RotationFailure>();
        var (rewrapped, already) = await RewrapAllAsync(current, failed, cancellationToken);
        var createdNew = false;
        if (rewrapped == 0 && kek is LocalKeyEncryptionKeyProvider local)
        {
            // Nothing was left to resume but data keys that do not unwrap (they would fail the same way under any
            // key, and must not hold back every other tenant's rotation): this run is a fresh rotation, so the local
            // key ring gets a new current key. (With Azure Key Vault, the new key version is created in Key Vault;
            // this verb then re-wraps to it.)
            current = await local.RotateAsync(cancellationToken);
            createdNew = true;
            (rewrapped, already) = await RewrapAllAsync(current, failed, cancellationToken);
        }

        return new RotationResult(current, createdNew, rewrapped, already, [.. failed.Values]);
    }

    /// <summary>Re-wraps every data key not under <paramref name="current"/>, skipping (and adding to) <paramref name="failed"/>.</summary>
    private async Task<(int Rewrapped, int AlreadyCurrent)> RewrapAllAsync(string current, Dictionary<Guid, RotationFailure> failed, CancellationToken cancellationToken)
    {
        var rewrapped = 0;
        var already = 0;
        var ids = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().Select(k => k.TenantId).ToListAsync(cancellationToken);
        foreach (var tenantId in ids.Where(id => !failed.ContainsKey(id)))
        {
            var row = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().SingleAsync(k => k.TenantId == tenantId, cancellationToken);
            if (row.KekId == current)
            {
                already++;
                continue;
            }

            WrappedKey rewrappedKey;
            try
            {
                rewrappedKey = await kek.RewrapAsync(WrappedKey.Parse(row.WrappedKey), cancellationToken);
            }
            catch (Exception ex) when (IsKeyFailure(ex))
            {
                // One data key that cannot be unwrapped (its key-encryption key lost, the row corrupt) must not stop
                // the others: it is named, left as it is, and the next run tries it again.
                failed[tenantId] = new RotationFailure(tenantId, ex.GetType().Name + ": " + ex.Message);
                continue;
            }

            await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == tenantId && k.WrappedKey == row.WrappedKey)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(k => k.WrappedKey, rewrappedKey.Format())
                        .SetProperty(k => k.KekId, rewrappedKey.KeyId)
                        .SetProperty(k => k.RewrappedAt, clock.GetUtcNow()),
                    cancellationToken);
            cache.Forget(tenantId);
            rewrapped++;
        }

        return (rewrapped, already);
    }

    /// <summary>
    /// Unwraps every tenant's data key once — also of tenants holding no secret now, whose next secret would need it
    /// — and decrypts every secret with it.
    /// </summary>
    public async Task<VerificationResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var failures = new List<VerificationFailure>();
        var keys = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().OrderBy(k => k.TenantId).ToListAsync(cancellationToken);
        var secrets = (await db.Set<TenantSecret>().AcrossTenants().AsNoTracking()
            .OrderBy(s => s.TenantId).ThenBy(s => s.Name).ToListAsync(cancellationToken)).ToLookup(s => s.TenantId);

        foreach (var orphan in secrets.Where(g => keys.All(k => k.TenantId != g.Key)).SelectMany(g => g))
        {
            failures.Add(new VerificationFailure(orphan.TenantId, orphan.Name, "the tenant has no data key"));
        }

        foreach (var key in keys)
        {
            byte[] dataKey;
            try
            {
                dataKey = await kek.UnwrapAsync(WrappedKey.Parse(key.WrappedKey), cancellationToken);
            }
            catch (Exception ex) when (IsKeyFailure(ex))
            {
                failures.Add(new VerificationFailure(key.TenantId, DataKeyName, ex.GetType().Name + ": " + ex.Message));
                continue;
            }

            foreach (var secret in secrets[key.TenantId])
            {
                try
                {
                    _ = EnvelopeCipher.Decrypt(secret.Ciphertext, dataKey, secret.TenantId.ToString("D"), secret.Name);
                }
                catch (Exception ex) when (ex is SecretDecryptionException || IsKeyFailure(ex))
                {
                    failures.Add(new VerificationFailure(secret.TenantId, secret.Name, ex.GetType().Name + ": " + ex.Message));
                }
            }
        }

        return new VerificationResult(keys.Count, secrets.Sum(g => g.Count()), failures);
    }

    // The exception types say what failed without carrying key material or plaintext.
    private static bool IsKeyFailure(Exception ex) =>
        ex is KeyEncryptionKeyException or FormatException or System.Security.Cryptography.CryptographicException;
}
