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

    public sealed record VerificationResult(int TenantsChecked, int SecretsChecked, IReadOnlyList<VerificationFailure> Failures);

    public async Task<RotationResult> RotateAsync(CancellationToken cancellationToken)
    {
        var current = await kek.GetCurrentKeyIdAsync(cancellationToken);
        var createdNew = false;
        var stale = await db.Set<TenantDataKey>().AcrossTenants().CountAsync(k => k.KekId != current, cancellationToken);
        if (stale == 0 && kek is LocalKeyEncryptionKeyProvider local)
        {
            // Nothing left to resume: this run is a fresh rotation, so the local key ring gets a new current key.
            // (With Azure Key Vault, the new key version is created in Key Vault; this verb then re-wraps to it.)
            current = await local.RotateAsync(cancellationToken);
            createdNew = true;
        }

        var rewrapped = 0;
        var already = 0;
        var failures = new List<RotationFailure>();
        var ids = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().Select(k => k.TenantId).ToListAsync(cancellationToken);
        foreach (var tenantId in ids)
        {
            var row = await db.Set<TenantDataKey>().AcrossTenants().SingleAsync(k => k.TenantId == tenantId, cancellationToken);
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
                failures.Add(new RotationFailure(tenantId, ex.GetType().Name + ": " + ex.Message));
                continue;
            }

            await db.Set<TenantDataKey>().AcrossTenants().Where(k => k.TenantId == tenantId && k.WrappedKey == row.WrappedKey)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(k => k.WrappedKey, rewrappedKey.Format())
                        .SetProperty(k => k.KekId, rewrappedKey.KeyId)
                        .SetProperty(k => k.RewrappedAt, clock.GetUtcNow()),
                    cancellationToken);
            db.ChangeTracker.Clear();
            cache.Forget(tenantId);
            rewrapped++;
        }

        return new RotationResult(current, createdNew, rewrapped, already, failures);
    }

    public async Task<VerificationResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var failures = new List<VerificationFailure>();
        var keys = await db.Set<TenantDataKey>().AcrossTenants().AsNoTracking().ToDictionaryAsync(k => k.TenantId, cancellationToken);
        var secrets = await db.Set<TenantSecret>().AcrossTenants().AsNoTracking()
            .OrderBy(s => s.TenantId).ThenBy(s => s.Name).ToListAsync(cancellationToken);

        foreach (var secret in secrets)
        {
            if (!keys.TryGetValue(secret.TenantId, out var key))
            {
                failures.Add(new VerificationFailure(secret.TenantId, secret.Name, "the tenant has no data key"));
                continue;
            }

            try
            {
                var dataKey = await kek.UnwrapAsync(WrappedKey.Parse(key.WrappedKey), cancellationToken);
                _ = EnvelopeCipher.Decrypt(secret.Ciphertext, dataKey, secret.TenantId.ToString("D"), secret.Name);
            }
            catch (Exception ex) when (ex is SecretDecryptionException || IsKeyFailure(ex))
            {
                // The exception types say what failed without carrying key material or plaintext.
                failures.Add(new VerificationFailure(secret.TenantId, secret.Name, ex.GetType().Name + ": " + ex.Message));
            }
        }

        return new VerificationResult(keys.Count, secrets.Count, failures);
    }

    // The exception types say what failed without carrying key material or plaintext.
    private static bool IsKeyFailure(Exception ex) =>
        ex is KeyEncryptionKeyException or FormatException or System.Security.Cryptography.CryptographicException;
}
