using IntegrationHub.Security;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Credentials;

/// <summary>
/// The local key ring is created on first use — right for a fresh hub, fatal for one whose file was lost or whose
/// <c>KeyManagement:Local:KeyPath</c> points elsewhere: a new, empty ring would be made beside data keys it cannot
/// unwrap, and every stored secret would fail from then on. So start-up and the CLI refuse while data keys wrapped
/// by local keys exist and the file does not. A file that is there but cannot be read as a key ring (not JSON, a key
/// of the wrong length, no permission) is refused too: it used to be read first by a background job after start-up,
/// whose failure stopped the host with a stack trace.
/// </summary>
public static class LocalKeyRingGuard
{
    public static async Task EnsureAsync(IKeyEncryptionKeyProvider kek, HubDbContext db, CancellationToken cancellationToken)
    {
        if (kek is not LocalKeyEncryptionKeyProvider local)
        {
            return;
        }

        if (File.Exists(local.KeyPath) || Directory.Exists(local.KeyPath))
        {
            try
            {
                await local.GetCurrentKeyIdAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is KeyEncryptionKeyException or IOException or UnauthorizedAccessException)
            {
                var reason = ex is KeyEncryptionKeyException ? ex.Message : $"The local key ring '{local.KeyPath}' cannot be read: {ex.Message}";
                throw new LocalKeyRingUnusableException(
                    $"{reason} Restore the file from backup, or set KeyManagement:Local:KeyPath to where it is.");
            }

            return;
        }

        var prefix = WrappedKey.StoragePrefix(KeyEncryptionKeyProviderNames.Local);
        var wrapped = await db.Set<TenantDataKey>().AcrossTenants().CountAsync(k => k.WrappedKey.StartsWith(prefix), cancellationToken);
        if (wrapped > 0)
        {
            throw new LocalKeyRingMissingException(
                $"The local key ring '{local.KeyPath}' does not exist, but {wrapped} tenant data keys in the database are wrapped by local keys: "
                + "without it every stored secret is unreadable. Restore the file from backup, or set KeyManagement:Local:KeyPath to where it is. "
                + "No new key ring was created.");
        }
    }
}

public sealed class LocalKeyRingMissingException(string message) : InvalidOperationException(message);

public sealed class LocalKeyRingUnusableException(string message) : InvalidOperationException(message);
