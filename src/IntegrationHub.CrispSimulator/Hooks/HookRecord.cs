namespace IntegrationHub.CrispSimulator.Hooks;

/// <summary>One emitted Plugin Hook and its delivery attempts. Mutated only under the state lock.</summary>
public sealed class HookRecord
{
    public required long Id { get; init; }

    public required string WebsiteId { get; init; }

    public required string Event { get; init; }

    /// <summary>The exact bytes POSTed (and signed): <c>{website_id, event, data, timestamp}</c>.</summary>
    public required byte[] Body { get; init; }

    /// <summary>Target captured when the event was emitted; empty = recorded, not sent.</summary>
    public required string Url { get; init; }

    public required int AttemptLimit { get; init; }

    public required TimeSpan BackoffBase { get; init; }

    public required TimeSpan Timeout { get; init; }

    internal string Secret { get; init; } = "";

    internal long Generation { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>pending</c>, <c>delivered</c>, <c>failed</c> (attempts exhausted) or <c>not_sent</c> (no hook URL).</summary>
    public string Status { get; set; } = "pending";

    public List<HookAttempt> Attempts { get; } = [];

    public HookDelivery Snapshot() =>
        new(Id, WebsiteId, Event, System.Text.Encoding.UTF8.GetString(Body), Url, Status, AttemptLimit, CreatedAt, [.. Attempts]);
}

/// <summary>One POST of a hook. <see cref="StatusCode"/> is null when no answer came (timeout, refused connection).</summary>
public sealed record HookAttempt(
    int Attempt,
    DateTimeOffset At,
    string Timestamp,
    string Signature,
    int? StatusCode,
    string? Error,
    long DurationMs);

/// <summary>Immutable view of a <see cref="HookRecord"/> (admin API <c>GET /_sim/hooks</c> and in-process tests).</summary>
public sealed record HookDelivery(
    long Id,
    string WebsiteId,
    string Event,
    string Body,
    string Url,
    string Status,
    int AttemptLimit,
    DateTimeOffset CreatedAt,
    IReadOnlyList<HookAttempt> Attempts);

/// <summary>Runtime hook target; starts from <see cref="SimulatorOptions"/>, changeable with <c>PUT /_sim/hooks/target</c>.</summary>
public sealed class HookSettings
{
    public string Url { get; set; } = "";

    public string Secret { get; set; } = "";

    public int AttemptLimit { get; set; }

    public TimeSpan BackoffBase { get; set; }

    public TimeSpan Timeout { get; set; }
}
