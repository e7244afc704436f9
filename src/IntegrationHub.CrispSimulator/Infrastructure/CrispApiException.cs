namespace IntegrationHub.CrispSimulator.Infrastructure;

/// <summary>A refusal the simulator answers with the Crisp error envelope.</summary>
public sealed class CrispApiException : Exception
{
    public CrispApiException()
        : this(500, "internal_error")
    {
    }

    public CrispApiException(string message)
        : this(400, "invalid_data", message)
    {
    }

    public CrispApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 400;
        Reason = "invalid_data";
        Detail = message;
    }

    public CrispApiException(int statusCode, string reason, string? message = null)
        : base(message ?? reason)
    {
        StatusCode = statusCode;
        Reason = reason;
        Detail = message;
    }

    public int StatusCode { get; }

    public string Reason { get; }

    /// <summary>Optional human text, sent as <c>data.message</c>.</summary>
    public string? Detail { get; }

    public static CrispApiException InvalidData(string message) => new(400, "invalid_data", message);

    public static CrispApiException NotFound(string reason = "not_found", string? message = null) => new(404, reason, message);

    public static CrispApiException Conflict(string reason, string? message = null) => new(409, reason, message);
}
