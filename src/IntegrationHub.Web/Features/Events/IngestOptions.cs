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

    /// <summary>How a commit finds the message ids it already stores; see <see cref="MessageIdCheck"/>.</summary>
    public MessageIdCheck MessageIdCheck { get; set; } = MessageIdCheck.Auto;
}

/// <summary>How the group commit tells a repeated <c>message_id</c> from a new one (<c>Api:Ingest:MessageIdCheck</c>).</summary>
public enum MessageIdCheck
{
    /// <summary>
    /// <see cref="InsertFirst"/> on PostgreSQL and SQLite (measured: 11–14 % more single events/s on two cores, the
    /// lookup being a query, and on PostgreSQL a round trip, per commit); <see cref="LookUpFirst"/> on SQL Server,
    /// where it was never measured.
    /// </summary>
    Auto,

    /// <summary>Read the stored events with the commit's message ids, then insert the new ones.</summary>
    LookUpFirst,

    /// <summary>
    /// Insert without reading first and let the unique index find repeats. A repeat refuses the insert and rolls the
    /// whole commit back (nothing of it was written); the commit is then done again looking up first, and so is
    /// every commit for <see cref="Events.InsertFirstGate.PauseAfterRefusal"/>, because retries come in bursts.
    /// </summary>
    InsertFirst,
}
