namespace IntegrationHub.Crisp;

/// <summary>Base of every failure raised by <see cref="CrispClient"/>.</summary>
public abstract class CrispException : Exception
{
    protected CrispException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Crisp answered with an error (<c>{"error": true, "reason": …}</c> or a non-2xx status).
/// The message names the HTTP method, route and reason; it never contains credentials.
/// </summary>
public class CrispApiException : CrispException
{
    public CrispApiException(int statusCode, string reason, string? dataMessage = null, string? operation = null)
        : base(BuildMessage(statusCode, reason, dataMessage, operation))
    {
        StatusCode = statusCode;
        Reason = reason;
        DataMessage = dataMessage;
    }

    /// <summary>HTTP status code of the answer (e.g. 401, 404, 429).</summary>
    public int StatusCode { get; }

    /// <summary>Crisp's <c>reason</c> word, e.g. <c>invalid_session</c>, <c>not_subscribed</c>, <c>people_exists</c>.</summary>
    public string Reason { get; }

    /// <summary><c>data.message</c> of the error envelope, when Crisp sent one.</summary>
    public string? DataMessage { get; }

    private static string BuildMessage(int statusCode, string reason, string? dataMessage, string? operation)
    {
        var text = $"Crisp API {operation ?? "request"} failed with HTTP {statusCode} ({reason})";
        return string.IsNullOrEmpty(dataMessage) ? text : text + ": " + dataMessage;
    }
}

/// <summary>
/// Crisp refused the call for rate or quota reasons (HTTP 429 or 420). The client never retries it:
/// the caller re-schedules, after <see cref="RetryAfter"/> when Crisp said how long to wait.
/// </summary>
public sealed class CrispRateLimitedException : CrispApiException
{
    public CrispRateLimitedException(int statusCode, string reason, TimeSpan? retryAfter, string? dataMessage = null, string? operation = null)
        : base(statusCode, reason, dataMessage, operation)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>From the <c>Retry-After</c> header (seconds or HTTP-date), when present.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// No usable answer from Crisp: a network failure or a timeout, after the client's single retry.
/// When <see cref="IsTimeout"/> is true some attempt timed out, so Crisp may have carried the request out:
/// treat the outcome as unknown (this also holds when the retry after a timeout got a 5xx or no connection).
/// </summary>
public sealed class CrispTransportException : CrispException
{
    public CrispTransportException(bool isTimeout, string? operation, Exception? innerException = null)
        : base(
            isTimeout
                ? $"Crisp API {operation ?? "request"} timed out; the outcome is unknown"
                : $"Crisp API {operation ?? "request"} failed: no answer from Crisp ({innerException?.GetType().Name ?? "no response"})",
            innerException)
    {
        IsTimeout = isTimeout;
    }

    public bool IsTimeout { get; }
}
