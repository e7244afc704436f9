using IntegrationHub.Web.Infrastructure.Tenancy;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>One try of a <see cref="CrispCall"/>: what was sent, what came back, how long it took.</summary>
public sealed class CrispCallAttempt : ITenantOwned
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public long CallId { get; set; }

    public int Number { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public int DurationMs { get; set; }

    /// <summary>sent, retry, dead, unknown (timeout: Crisp may or may not have done it), rate_limited.</summary>
    public required string Outcome { get; set; }

    public int? HttpStatus { get; set; }

    public string? Reason { get; set; }

    /// <summary>Method, path and JSON body of the request(s) made, for the delivery log. Never credentials.</summary>
    public string? Request { get; set; }

    /// <summary>Crisp's answer, shortened.</summary>
    public string? Response { get; set; }
}
