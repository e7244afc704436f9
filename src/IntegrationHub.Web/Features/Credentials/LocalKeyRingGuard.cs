using IntegrationHub.Security;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Credentials;

/// <summary>
/// The local key ring is created on first use — right for a fresh hub, fatal for one whose file was lost or whose
/// <c>KeyManagement:Local:KeyPath</c> points elsewhere: a new, empty ring would be made beside data keys it cannot
/// unwrap, and every stored secret would fail from then on. So start-up and the CLI refuse while data keys wrapped
/// by local keys exist and the file does not.
/// </summary>
public static class LocalKeyRingGuard
{
    public static async Task EnsureAsync(IKeyEncryptionKeyProvider kek, HubDbContext db, CancellationToken cancellationToken)
    {
        if (kek is not LocalKeyEncryptionKeyProvider local || File.Exists(local.KeyPath))
        {
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
