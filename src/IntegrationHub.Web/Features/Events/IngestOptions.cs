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
    /// Commit loops running side by side (0 = automatic: 1 on SQLite, which has one writer anyway; on server
    /// databases one per four cores, at most four). Most of a commit's cost is per commit, not per row (contexts,
    /// round trips, parsing, the WAL flush), and one loop's commits grow with the load (whatever queued while the
    /// last one ran), so extra loops only pay where cores are idle while a commit waits on I/O: on two cores, four
    /// loops made ~16-row commits and ~9,500 single events/s on PostgreSQL, one loop ~60-row commits (binary COPY)
    /// and ~13,400. Concurrent loops that race on the same message_id or Idempotency-Key are settled by the unique
    /// indexes and the per-request retry.
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
