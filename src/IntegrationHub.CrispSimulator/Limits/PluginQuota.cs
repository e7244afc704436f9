namespace IntegrationHub.CrispSimulator.Limits;

/// <summary>Daily plugin-tier request quota, reset at 00:00 UTC. 0 = unlimited.</summary>
public sealed class PluginQuota
{
    public int DailyLimit { get; set; }

    public int Status { get; set; } = 429;

    public int? RetryAfterSeconds { get; set; }

    public DateOnly Day { get; set; }

    public int Used { get; set; }

    public void Roll(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today != Day)
        {
            Day = today;
            Used = 0;
        }
    }

    public bool TryTake(DateTimeOffset now)
    {
        Roll(now);
        if (DailyLimit > 0 && Used >= DailyLimit)
        {
            return false;
        }

        Used++;
        return true;
    }
}
