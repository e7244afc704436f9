using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Web.Features.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> contract: a request that repeats a key within 24 hours gets the original answer
/// (status, body, Location, plus <c>Idempotent-Replayed: true</c>) and changes nothing; a request that reuses a key
/// with another method, path or body gets 409. Only successful (2xx) answers are remembered: a request that was
/// refused can be corrected and sent again under the same key.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxLength = 255;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>What a request carrying a key needs remembered: the key and the fingerprint of the request.</summary>
    public sealed record Intent(string Key, string RequestHash);

    /// <summary>Reads the header: no header is fine (null); a malformed one is a 400.</summary>
    public static (Intent? Intent, IResult? Problem) Read(HttpRequest request, byte[] body)
    {
        if (!request.Headers.TryGetValue(Header, out var values) || values.Count == 0)
        {
            return (null, null);
        }

        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || key.Any(c => c < 0x21 || c > 0x7E))
        {
            return (null, ApiProblems.Problem(StatusCodes.Status400BadRequest, ApiProblems.IdempotencyKeyInvalid, "Invalid Idempotency-Key",
                $"Send one Idempotency-Key of 1–{MaxLength} printable ASCII characters without spaces (a UUID is a good choice)."));
        }

        return (new Intent(key, Hash(request, body)), null);
    }

    public static string Hash(HttpRequest request, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {PathAsSent(request)}\n"));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The path that tells requests apart. The decoded path does, except where it holds a '%': the server leaves "%2F"
    /// escaped and decodes "%25" to '%', so "a%2Fb%40x.io" (the contact a/b@x.io) and "a%252Fb%40x.io" (a%2Fb@x.io)
    /// decode alike. Then the path as sent decides; other paths keep the decoded form, so "@" and "%40" stay one path.
    /// </summary>
    private static string? PathAsSent(HttpRequest request)
    {
        var path = request.Path.Value;
        if (path is null || !path.Contains('%', StringComparison.Ordinal)
            || request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is not { Length: > 0 } raw)
        {
            return path;
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }

    public static IResult Conflict() =>
        ApiProblems.Problem(StatusCodes.Status409Conflict, ApiProblems.IdempotencyConflict, "Idempotency-Key reused",
            "This Idempotency-Key was already used, within the last 24 hours, for a different request (method, path or body). "
            + "Use a new key for a new request.");

    public static IResult Replay(IdempotencyRecord record) => new StoredResult(record.StatusCode, record.ResponseBody, record.Location, Replayed: true);

    /// <summary>A JSON answer as stored (or about to be stored) for a key.</summary>
    public sealed record StoredResult(int Status, string Body, string? Location, bool Replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = Status;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            if (Location is not null)
            {
                httpContext.Response.Headers.Location = Location;
            }

            if (Replayed)
            {
                httpContext.Response.Headers[ReplayedHeader] = "true";
            }

            // A known length spares the response chunked framing (and the client its parsing).
            httpContext.Response.ContentLength = Encoding.UTF8.GetByteCount(Body);
            await httpContext.Response.WriteAsync(Body, httpContext.RequestAborted);
        }
    }
}

/// <summary>Idempotency records on the request's own DbContext (contacts); the ingest writer has its own path.</summary>
public sealed class IdempotencyStore(HubDbContext db, TimeProvider clock)
{
    /// <summary>The stored answer to replay, a 409, or null when the request should run.</summary>
    public async Task<IResult?> CheckAsync(IdempotencyKeys.Intent? intent, CancellationToken cancellationToken)
    {
        if (intent is null)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var record = await db.Set<IdempotencyRecord>().AsNoTracking()
            .FirstOrDefaultAsync(r => r.Key == intent.Key && r.ExpiresAt > now, cancellationToken);
        return record is null ? null
            : record.RequestHash == intent.RequestHash ? IdempotencyKeys.Replay(record) : IdempotencyKeys.Conflict();
    }

    /// <summary>
    /// Stages the answer for the key in the caller's unit of work (an expired record of the key is reused). False when
    /// a live record of the key is there already — another request with the key committed since the caller checked —
    /// and nothing was staged: the caller rolls back and answers as that request did. Two requests that both find no
    /// record both insert one, and the unique (tenant, key) index refuses the later commit.
    /// </summary>
    public async Task<bool> RememberAsync(IdempotencyKeys.Intent? intent, int status, string body, string? location, CancellationToken cancellationToken)
    {
        if (intent is null)
        {
            return true;
        }

        var now = clock.GetUtcNow();
        var record = await db.Set<IdempotencyRecord>().FirstOrDefaultAsync(r => r.Key == intent.Key, cancellationToken);
        if (record is null)
        {
            record = new IdempotencyRecord { Id = Guid.CreateVersion7(now), Key = intent.Key, RequestHash = intent.RequestHash, ResponseBody = body };
            db.Add(record);
        }
        else if (record.ExpiresAt > now)
        {
            return false;
        }

        Fill(record, intent, status, body, location, now);
        return true;
    }

    internal static void Fill(IdempotencyRecord record, IdempotencyKeys.Intent intent, int status, string body, string? location, DateTimeOffset now)
    {
        record.RequestHash = intent.RequestHash;
        record.StatusCode = status;
        record.ResponseBody = body;
        record.Location = location;
        record.CreatedAt = now;
        record.ExpiresAt = now + IdempotencyKeys.Lifetime;
    }

    /// <summary>The recurring clean-up: deletes expired records of every tenant in one statement.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await db.Set<IdempotencyRecord>().AcrossTenants().Where(r => r.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
