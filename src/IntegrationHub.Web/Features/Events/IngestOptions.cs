using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Web.Features.Events;

/// <summary>The group-commit writer's limits (<c>Api:Ingest</c>).</summary>
public sealed class IngestOptions
{
    public const string Section = "Api:Ingest";

    /// <summary>Requests waiting for the writer before new ones wait to be queued (back-pressure).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// Commit loops running side by side (0 = automatic: 1 on SQLite, which has one writer anyway; 4 on server
    /// databases, where a commit waits on I/O and several transactions overlap). Concurrent loops that race on
    /// the same message_id or Idempotency-Key are settled by the unique indexes and the per-request retry.
    /// </summary>
    [Range(0, 64)]
    public int Writers { get; set; }

    /// <summary>At most this many requests share one transaction.</summary>
    [Range(1, 100_000)]
    public int MaxRequestsPerCommit { get; set; } = 500;

    /// <summary>At most (about) this many events share one transaction; a batch request is never split.</summary>
    [Range(1, 1_000_000)]
    public int MaxEventsPerCommit { get; set; } = 5_000;
}
