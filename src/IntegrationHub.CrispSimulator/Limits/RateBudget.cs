namespace IntegrationHub.CrispSimulator.Limits;

/// <summary>Per-website fixed one-minute window. 0 requests per minute = unlimited.</summary>
public sealed class RateBudget
{
    public int RequestsPerMinute { get; set; }

    /// <summary>429 (Too Many Requests) or 420 (Enhance Your Calm).</summary>
    public int Status { get; set; } = 429;

    /// <summary>When set, refused requests carry <c>Retry-After</c> (seconds).</summary>
    public int? RetryAfterSeconds { get; set; }

    public DateTimeOffset WindowStart { get; set; }

    public int Count { get; set; }

    /// <summary>Counts the request if the window has room; false when the budget is spent.</summary>
    public bool TryTake(DateTimeOffset now)
    {
        if (RequestsPerMinute <= 0)
        {
            return true;
        }

        if (now - WindowStart >= TimeSpan.FromMinutes(1) || now < WindowStart)
        {
            WindowStart = now;
            Count = 0;
        }

        if (Count >= RequestsPerMinute)
        {
            return false;
        }

        Count++;
        return true;
    }
}
