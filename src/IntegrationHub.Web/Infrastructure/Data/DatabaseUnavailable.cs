using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;

namespace IntegrationHub.Web.Infrastructure.Data;

/// <summary>
/// Tells "the database cannot be reached or is refusing work right now" (server down or restarting, network gone,
/// connect timeout, pool exhausted, SQLite file busy) from every other failure. Such a request changed nothing and
/// is worth retrying later, so it answers 503 with Retry-After instead of 500.
/// </summary>
public static class DatabaseUnavailable
{
    /// <summary>What Retry-After says: long enough for a restart or failover to make progress.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool Is(Exception exception)
    {
        // Walk the whole chain: EF wraps provider errors (InvalidOperationException, RetryLimitExceededException,
        // DbUpdateException), and Npgsql wraps socket and timeout errors in its own exception.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked }:
                    return true;
                case DbException db when db.IsTransient || IsUnavailableSqlState(db.SqlState):
                    return true;
                case RetryLimitExceededException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
        }

        return false;
    }

    /// <summary>SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 57P (shutdown, cannot connect now).</summary>
    private static bool IsUnavailableSqlState(string? state) =>
        state is not null && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal));
}
