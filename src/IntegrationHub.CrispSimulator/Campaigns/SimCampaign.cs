namespace IntegrationHub.CrispSimulator.Campaigns;

public sealed class SimCampaign
{
    public required string CampaignId { get; init; }

    public required string Name { get; set; }

    /// <summary>e.g. <c>one-shot</c> or <c>automated</c> (values UNVERIFIED).</summary>
    public string Type { get; set; } = "one-shot";

    public string Format { get; set; } = "markdown";

    public string Subject { get; set; } = "";

    public string? Tag { get; set; }

    public string Message { get; set; } = "";

    public bool Ready { get; set; } = true;

    public bool Dispatched { get; set; }

    public bool Running { get; set; }

    public int Targets { get; set; }

    public int Reached { get; set; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    public long? DispatchedAt { get; set; }
}

/// <summary>One call to <c>POST /campaign/{id}/dispatch</c>.</summary>
public sealed record CampaignDispatch(string WebsiteId, string CampaignId, DateTimeOffset At, string Tier);
