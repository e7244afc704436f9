using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Web.Infrastructure.Data;

public static class DatabaseInitializer
{
    public static async Task MigrateAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsSqlite())
        {
            // WAL lets the API write while the dashboard and jobs read; it is a property of the file, set once.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        if (await HistoryTableMissingAsync(db, cancellationToken))
        {
            // With the history table in place, EF's first read of it finds it empty instead of failing.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Refuses to serve a database whose schema lags behind this hub (never migrated, or an upgrade whose
    /// <c>migrate</c> was forgotten): otherwise the first query of a missing table stopped start-up with a stack trace,
    /// or — one migration behind — every request touching a new column answered 500.
    /// </summary>
    public static async Task EnsureMigratedAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        // A refused database is left as it was found: without a history table every migration is missing, and nothing
        // (not even the history table) is created to find that out.
        var pending = await HistoryTableMissingAsync(db, cancellationToken)
            ? db.Database.GetMigrations().ToList()
            : (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var script = db.Database.IsNpgsql() ? " or apply db/postgres/migrations.sql"
            : db.Database.IsSqlServer() ? " or apply db/sqlserver/migrations.sql"
            : "";
        throw new DatabaseNotMigratedException(
            $"The database lacks {pending.Count} of this hub's migrations ({pending[0]}{(pending.Count > 1 ? " … " + pending[^1] : "")}): "
            + $"run the migrate verb with the same settings{script}, then start the hub (or run this verb) again (Database:MigrateOnStartup is off).");
    }

    /// <summary>
    /// Whether a PostgreSQL database has no migrations history table yet (a new, empty database). Npgsql's history
    /// repository does not look before reading it: it reads and takes the "no such table" failure for "nothing applied",
    /// and EF logs that failure as an error ("Failed executing DbCommand … __EFMigrationsHistory") that an operator
    /// migrating a fresh database reads as the migration failing. Asked here first, the failing read never runs.
    /// </summary>
    private static async Task<bool> HistoryTableMissingAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return false;
        }

        return await db.Database.SqlQueryRaw<bool>(HistoryTableMissingSql).SingleAsync(cancellationToken);
    }

    // to_regclass resolves the name through search_path, as EF's unqualified references to the table do.
    private const string HistoryTableMissingSql = "SELECT to_regclass('\"" + HistoryRepository.DefaultTableName + "\"') IS NULL AS \"Value\"";
}

/// <summary>A database whose schema is older than the hub's migrations, with migrating at start-up off.</summary>
public sealed class DatabaseNotMigratedException(string message) : Exception(message);
