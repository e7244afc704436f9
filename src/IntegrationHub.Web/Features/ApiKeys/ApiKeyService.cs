using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.ApiKeys;

/// <summary>Issues, checks and revokes customer API keys. Keys look like <c>ihk_{prefix}_{secret}</c>.</summary>
public sealed class ApiKeyService(HubDbContext db, TenantContext tenant, TimeProvider clock, ApiKeyCache cache)
{
    public const string KeyPrefix = "ihk_";

    public sealed record IssuedKey(ApiKey Key, string Plaintext);

    public async Task<IssuedKey> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var tenantId = tenant.Require();
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        var prefix = RandomToken(6);
        var secret = RandomToken(32);
        var plaintext = $"{KeyPrefix}{prefix}_{secret}";
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            Name = name.Trim(),
            Prefix = prefix,
            SecretHash = Hash(plaintext),
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedKey(key, plaintext);
    }

    public async Task<bool> RevokeAsync(Guid keyId, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyId, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            return key is not null;
        }

        key.RevokedAt = clock.GetUtcNow();
        using (cache.HoldKey(key.Id))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// Finds the active key for a presented secret, hub-wide (the tenant is what we are trying to learn), and only
    /// when its tenant is installed. Returns null for anything else, without saying why.
    /// </summary>
    public async Task<ApiKey?> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!TryParsePrefix(presented, out var prefix))
        {
            return null;
        }

        var presentedHash = Hash(presented);
        if (cache.TryGet(presentedHash, out var cached))
        {
            return cached;
        }

        // One lookup per key at a time; the others wait for its answer. Not cancelled once started: it may answer several.
        cancellationToken.ThrowIfCancellationRequested();
        return await cache.SharedLookupAsync(presentedHash, () => LookUpAsync(prefix, presentedHash, cache.Generation));
    }

    private async Task<ApiKey?> LookUpAsync(string prefix, string presentedHash, long generation)
    {
        var cancellationToken = CancellationToken.None;
        var key = await db.ApiKeys.AcrossTenants().AsNoTracking()
            .FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        if (key is null || !FixedTimeEquals(key.SecretHash, presentedHash) || key.RevokedAt is not null)
        {
            return null;
        }

        var tenantActive = await db.Tenants.AcrossTenants()
            .AnyAsync(t => t.Id == key.TenantId && t.Status == Tenants.TenantStatus.Active, cancellationToken);
        if (!tenantActive)
        {
            return null;
        }

        cache.Add(presentedHash, key, generation);
        return key;
    }

    /// <summary>
    /// The hot path: a presented key that checked out within <see cref="ApiKeyAuthOptions.CacheSeconds"/> and was not
    /// revoked since (on this node), without constructing this service or a DbContext. False means "ask
    /// <see cref="AuthenticateAsync"/>", never "invalid".
    /// </summary>
    public static bool TryAuthenticateCached(ReadOnlySpan<char> presented, ApiKeyCache cache, out ApiKey key)
    {
        key = null!;
        if (!HasKeyShape(presented))
        {
            return false;
        }

        // Hashed and looked up on the stack: this runs on every API request.
        Span<char> hex = stackalloc char[HashLength];
        HashInto(presented, hex);
        return cache.TryGet(hex, out key);
    }

    public static string Hash(string plaintext)
    {
        Span<char> hex = stackalloc char[HashLength];
        HashInto(plaintext, hex);
        return new string(hex);
    }

    private const int MaxPresentedLength = 200;

    private const int HashLength = SHA256.HashSizeInBytes * 2;

    /// <summary>Lower-case hex SHA-256 of the UTF-8 text (at most <see cref="MaxPresentedLength"/> characters on the stack).</summary>
    private static void HashInto(ReadOnlySpan<char> text, Span<char> hex)
    {
        var utf8 = text.Length <= MaxPresentedLength ? stackalloc byte[MaxPresentedLength * 3] : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(text, utf8)], hash);
        Convert.TryToHexStringLower(hash, hex, out _);
    }

    private static bool HasKeyShape(ReadOnlySpan<char> presented) =>
        presented.Length is > 0 and <= MaxPresentedLength && presented.StartsWith(KeyPrefix, StringComparison.Ordinal)
        && presented[KeyPrefix.Length..].IndexOf('_') > 0;

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    private static bool TryParsePrefix(string presented, out string prefix)
    {
        prefix = string.Empty;
        if (!HasKeyShape(presented))
        {
            return false;
        }

        var rest = presented.AsSpan(KeyPrefix.Length);
        prefix = rest[..rest.IndexOf('_')].ToString();
        return true;
    }

    private static string RandomToken(int bytes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        // 36 symbols from uniform bytes via rejection sampling: no modulo bias in key material.
        var length = (int)Math.Ceiling(bytes * 8 / Math.Log2(alphabet.Length));
        return RandomNumberGenerator.GetString(alphabet, length);
    }
}
