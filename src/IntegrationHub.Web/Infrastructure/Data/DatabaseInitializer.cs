using Microsoft.EntityFrameworkCore;

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

        await db.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>
    /// Refuses to serve a database whose schema lags behind this hub (never migrated, or an upgrade whose
    /// <c>migrate</c> was forgotten): otherwise the first query of a missing table stopped start-up with a stack trace,
    /// or — one migration behind — every request touching a new column answered 500.
    /// </summary>
    public static async Task EnsureMigratedAsync(HubDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
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
}

/// <summary>A database whose schema is older than the hub's migrations, with migrating at start-up off.</summary>
public sealed class DatabaseNotMigratedException(string message) : Exception(message);
