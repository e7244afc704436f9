namespace IntegrationHub.CrispSimulator.Limits;

/// <summary>Injected faults on the REST API (never on the admin API).</summary>
public sealed class FaultSettings
{
    /// <summary>Fraction (0..1) of requests answered with <see cref="ErrorStatus"/>.</summary>
    public double ErrorRate { get; set; }

    public int ErrorStatus { get; set; } = 503;

    /// <summary>Added to every request before it is handled.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Fraction (0..1) of requests whose connection is aborted without an answer.</summary>
    public double DropRate { get; set; }

    /// <summary>When set, faults apply only to requests for this website.</summary>
    public string? WebsiteId { get; set; }
}
