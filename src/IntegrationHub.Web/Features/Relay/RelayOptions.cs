namespace IntegrationHub.Web.Features.Relay;

public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>Lets the relay reach loopback, link-local and private addresses (and plain http). Off in production.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>How long a rotated-out secret keeps signing beside the new one.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>An endpoint whose deliveries kept failing this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public int BatchSize { get; set; } = 100;

    /// <summary>How long one drain keeps claiming rows before it hands the rest to a new drain, so a drain whose
    /// tenants' endpoints are slow hands its worker back now and then.</summary>
    public TimeSpan DrainBudget { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many endpoints one drain sends to at once (one send per endpoint at a time).</summary>
    public int DrainParallelism { get; set; } = 16;

    /// <summary>How often a drain with sends in flight looks for endpoints with newly due rows.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a drain's claim on one delivery holds; longer than <see cref="Timeout"/>, so it only runs
    /// out when the drain died mid-send (the row is then sent again, with the same webhook-id).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    public int MaxEndpointsPerTenant { get; set; } = 20;

    /// <summary>How long a delivery in a final state (sent or failed) is kept, with its attempts, after it was created
    /// and last attempted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The shortest <see cref="Retention"/> start-up accepts: a failed delivery stays visible and replayable
    /// for a week, well past its retry chain (about a day) and the default <see cref="DisableAfter"/> (3 days).</summary>
    public static readonly TimeSpan MinRetention = TimeSpan.FromDays(7);
}
