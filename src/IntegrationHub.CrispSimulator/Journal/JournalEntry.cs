namespace IntegrationHub.CrispSimulator.Journal;

/// <summary>
/// One REST request as the simulator saw it, refused or not. <see cref="Status"/> 0 with reason
/// <c>connection_dropped</c> marks an injected dropped connection.
/// </summary>
public sealed record JournalEntry(
    long Sequence,
    DateTimeOffset Time,
    string? WebsiteId,
    string Method,
    string Path,
    string Query,
    string? Tier,
    int Status,
    string Reason,
    string Body);
