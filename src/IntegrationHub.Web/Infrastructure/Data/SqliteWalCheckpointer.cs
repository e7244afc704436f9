using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace IntegrationHub.Web.Infrastructure.Data;

/// <summary>
/// Moves SQLite's WAL checkpoints off the commit path. By default the connection whose commit takes the WAL past
/// 1,000 pages copies it into the database file and syncs it inside that COMMIT, so under ingest load one commit in a
/// few hundred — and every request waiting on it — took the checkpoint's time (the p99 at half load). Here hub
/// connections only checkpoint as a safety net (<see cref="WriterAutoCheckpointPages"/>), and this service runs a
/// PASSIVE checkpoint on its own connection every <see cref="Interval"/>: it never blocks writers or readers and
/// never waits for them, it just copies what no reader still needs.
/// </summary>
public sealed class SqliteWalCheckpointer(string connectionString, ILogger<SqliteWalCheckpointer> logger) : BackgroundService
{
    /// <summary>Pages of WAL after which a writer checkpoints itself anyway (if this service fell behind).</summary>
    public const int WriterAutoCheckpointPages = 20_000;

    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private long _completed;

    /// <summary>Checkpoints so far that found WAL pages and copied all of them (for tests and diagnostics).</summary>
    public long CompletedCheckpoints => Interlocked.Read(ref _completed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        using var timer = new PeriodicTimer(Interval);
        try
        {
            await connection.OpenAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var (log, checkpointed) = await CheckpointAsync(connection, stoppingToken);
                    if (log > 0 && checkpointed == log)
                    {
                        Interlocked.Increment(ref _completed);
                    }
                }
                catch (SqliteException e)
                {
                    // A busy database or a file being replaced: the next tick tries again, writers still have the safety net.
                    logger.LogDebug(e, "SQLite WAL checkpoint failed; retrying on the next tick");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One PASSIVE checkpoint; returns (WAL pages, pages checkpointed), -1 each when the database is not in WAL mode.</summary>
    public static async Task<(long Log, long Checkpointed)> CheckpointAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(1), reader.GetInt64(2)) : (-1, -1);
    }
}

/// <summary>
/// Raises the auto-checkpoint threshold on every hub connection — see <see cref="SqliteWalCheckpointer"/>. The setting
/// belongs to the native handle, which Microsoft.Data.Sqlite pools, so each handle is set once, not on every open.
/// </summary>
public sealed class SqliteConnectionTuning : DbConnectionInterceptor
{
    private static readonly string Pragma = $"PRAGMA wal_autocheckpoint = {SqliteWalCheckpointer.WriterAutoCheckpointPages}";

    private static readonly ConditionalWeakTable<sqlite3, object> Tuned = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Tune(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Tune(connection);
        return Task.CompletedTask;
    }

    private static void Tune(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } || Tuned.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
        Tuned.AddOrUpdate(handle, Pragma);
    }
}
