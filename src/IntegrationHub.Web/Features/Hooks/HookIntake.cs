using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hangfire;
using IntegrationHub.Crisp.Hooks;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Hooks;

/// <summary>
/// <c>POST /crisp/hooks</c>: verify first (HMAC over the raw bytes, constant time, timestamp window), then store,
/// then answer 200. Processing runs afterwards from the stored row, so a crash after the 200 loses nothing.
/// </summary>
public static class HookIntake
{
    public const string Route = "/crisp/hooks";

    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static long _rejected;

    public static long RejectedCount => Interlocked.Read(ref _rejected);

    public static IEndpointRouteBuilder MapHookIntake(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, HandleAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        HookSecretSource secrets,
        HubDbContext db,
        IBackgroundJobClient jobs,
        IOptions<HookOptions> options,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(HookIntake));
        if (RefusedEncoding(http.Request) is { } encoding)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, encoding);
        }

        var limit = options.Value.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"A hook body may be at most {limit} bytes.");
        }

        var body = await ReadBodyAsync(http, limit, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"A hook body may be at most {limit} bytes.");
        }

        if (!TrySingle(http.Request.Headers, "X-Crisp-Request-Timestamp", out var timestamp) || !TrySingle(http.Request.Headers, "X-Crisp-Signature", out var signature))
        {
            Interlocked.Increment(ref _rejected);
            return Problem(StatusCodes.Status400BadRequest, "X-Crisp-Request-Timestamp and X-Crisp-Signature may each be sent once (repeated, their values differ).");
        }

        if (!CrispHookSignature.Verify(secrets.Active(), timestamp, body, signature))
        {
            Interlocked.Increment(ref _rejected);
            logger.LogWarning("Crisp hook rejected: missing or bad signature ({Bytes} bytes).", body.Length);
            return Problem(StatusCodes.Status401Unauthorized, "The hook signature is missing or does not match.");
        }

        if (!IsFresh(timestamp, clock.GetUtcNow(), options.Value.TimestampTolerance))
        {
            Interlocked.Increment(ref _rejected);
            // The header is signed, so it is Crisp's (or a replay's): logged, truncated, with its reason.
            var readable = IsUnixTime(timestamp);
            logger.LogWarning("Crisp hook rejected: timestamp {Timestamp} {Reason}.", Truncate(timestamp), readable ? "outside the replay window" : "is not a Unix time");
            return Problem(StatusCodes.Status401Unauthorized, readable
                ? "The hook timestamp is outside the accepted window."
                : "X-Crisp-Request-Timestamp must be a Unix time in milliseconds (or seconds), digits only.");
        }

        if (!IsJsonContentType(http.Request.ContentType))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, JsonContentTypeRequired);
        }

        if (!TryParse(body, out var envelope, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, error);
        }

        return await StoreAsync(db, jobs, clock, envelope, body, cancellationToken);
    }

    /// <summary>Stores a verified hook under its dedup key and enqueues its processing; a duplicate is acknowledged.</summary>
    internal static async Task<IResult> StoreAsync(HubDbContext db, IBackgroundJobClient jobs, TimeProvider clock, HookEnvelope envelope, byte[] body, CancellationToken cancellationToken)
    {
        var entry = new HookInboxEntry
        {
            DedupKey = DedupKey(envelope, body),
            WebsiteId = envelope.WebsiteId,
            Event = envelope.Event,
            Payload = Encoding.UTF8.GetString(body),
            ReceivedAt = clock.GetUtcNow(),
        };

        if (await db.Set<HookInboxEntry>().AnyAsync(h => h.DedupKey == entry.DedupKey, cancellationToken))
        {
            return Results.Ok(new { status = "duplicate" });
        }

        db.Set<HookInboxEntry>().Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two deliveries of the same event raced and the other one stored it: a duplicate, acknowledged.
            db.ChangeTracker.Clear();
            if (await db.Set<HookInboxEntry>().AsNoTracking().AnyAsync(h => h.DedupKey == entry.DedupKey, CancellationToken.None))
            {
                return Results.Ok(new { status = "duplicate" });
            }

            throw;
        }

        jobs.Enqueue<HookProcessor>(p => p.ProcessAsync(entry.Id, CancellationToken.None));
        return Results.Ok(new { status = "accepted" });
    }

    internal static async Task<byte[]?> ReadBodyAsync(HttpContext http, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A positive whole number: what <see cref="IsFresh"/> can read as a time at all.</summary>
    private static bool IsUnixTime(string header) =>
        long.TryParse(header, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0;

    /// <summary>Crisp's timestamp unit is unverified: values above 10^11 are read as milliseconds, others as seconds.</summary>
    internal static bool IsFresh(string header, DateTimeOffset now, TimeSpan tolerance)
    {
        // Past year 9999 is no date at all (FromUnixTimeMilliseconds throws): stale, like any other far-off time.
        if (!long.TryParse(header, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0 || value > MaxUnixMilliseconds)
        {
            return false;
        }

        var sent = value > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
        return (now - sent).Duration() <= tolerance;
    }

    internal const string JsonContentTypeRequired = "A hook body must be application/json in UTF-8 (charset=utf-8 or none).";

    /// <summary>
    /// JSON, in UTF-8: the body is read (and Crisp signs it) as UTF-8, so a body declared in another charset would
    /// be verified and then read as something it says it is not.
    /// </summary>
    internal static bool IsJsonContentType(string? contentType) =>
        contentType is not null
        && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
        && (!media.Charset.HasValue || Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(media.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Hooks are read as sent: the signature covers the bytes on the wire, and Crisp documents no compression. A
    /// compressed body was answered 401 (its signature could never match); the reason is clearer. Null when accepted.
    /// </summary>
    internal static string? RefusedEncoding(HttpRequest request) =>
        request.Headers.ContentEncoding is { Count: > 0 } coding && !coding.ToString().Equals("identity", StringComparison.OrdinalIgnoreCase)
            ? $"Hooks are read uncompressed: Content-Encoding '{Truncate(coding.ToString())}' is not accepted."
            : null;

    /// <summary>A header sent more than once is one value if every copy is the same (a proxy repeating it), else ambiguous.</summary>
    private static bool TrySingle(IHeaderDictionary headers, string name, out string value)
    {
        var values = headers[name];
        value = values.Count == 0 ? string.Empty : values[0] ?? string.Empty;
        foreach (var other in values)
        {
            if (!string.Equals(other, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>Depth of a whole hook body; Crisp's own are a few levels deep.</summary>
    private const int MaxDepth = 64;

    internal sealed record HookEnvelope(string Event, Guid? WebsiteId, string? SessionId, long? Fingerprint);

    internal static bool TryParse(byte[] body, out HookEnvelope envelope, out string error)
    {
        envelope = new HookEnvelope(string.Empty, null, null, null);

        // Strict, like the customer API: a body the processor could not read (repeated names, invalid UTF-8, unpaired
        // surrogates) is refused here with a 400, rather than stored, acknowledged and failing in the background.
        using var document = StrictJson.Parse(body, MaxDepth, out error);
        if (document is null)
        {
            return false;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "A hook body must be a JSON object.";
            return false;
        }

        // Stored in a column of 100 characters, and PostgreSQL refuses a NUL in text: a 500 rather than a 400.
        if (!root.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(evt.GetString())
            || evt.GetString()!.Length > 100 || evt.GetString()!.Any(char.IsControl))
        {
            error = "'event' must be a non-empty string of at most 100 characters without control characters.";
            return false;
        }

        Guid? websiteId = null;
        if (root.TryGetProperty("website_id", out var website) && website.ValueKind != JsonValueKind.Null)
        {
            if (website.ValueKind != JsonValueKind.String || !Guid.TryParse(website.GetString(), out var parsed))
            {
                error = "'website_id' must be a UUID string.";
                return false;
            }

            websiteId = parsed;
        }

        string? session = null;
        long? fingerprint = null;
        if (root.TryGetProperty("data", out var data))
        {
            if (data.ValueKind != JsonValueKind.Object)
            {
                error = "'data' must be an object.";
                return false;
            }

            if (data.TryGetProperty("session_id", out var s) && s.ValueKind == JsonValueKind.String)
            {
                session = s.GetString();
            }

            if (data.TryGetProperty("fingerprint", out var f) && f.ValueKind == JsonValueKind.Number && f.TryGetInt64(out var fp))
            {
                fingerprint = fp;
            }
        }

        envelope = new HookEnvelope(evt.GetString()!, websiteId, session, fingerprint);
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Events whose fingerprint is a new message's own, so one delivery each. Others carry the fingerprint of the
    /// message they are about (message:updated, message:removed, read and delivery receipts…): two edits of one
    /// message share it, so only their bodies (data and the event's own timestamp) tell them apart.
    /// </summary>
    private static readonly HashSet<string> NewMessageEvents = new(StringComparer.Ordinal) { "message:send", "message:received" };

    /// <summary>A new message is identified by its fingerprint; anything else by its whole body, which Crisp's
    /// retries resend as it was (the body's <c>timestamp</c> is when the event occurred, not when it was sent).</summary>
    internal static string DedupKey(HookEnvelope envelope, byte[] body)
    {
        var identity = envelope.Fingerprint is { } fingerprint && NewMessageEvents.Contains(envelope.Event)
            ? $"{envelope.Event}|{envelope.WebsiteId}|{envelope.SessionId}|{fingerprint}"
            : $"{envelope.Event}|{envelope.WebsiteId}|{envelope.SessionId}|" + Convert.ToHexStringLower(SHA256.HashData(body));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    private static IResult Problem(int status, string detail) => Results.Problem(statusCode: status, detail: detail);
}
