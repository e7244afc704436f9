using System.Net.Sockets;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHub.Web.Infrastructure.Data;

/// <summary>A database the hub cannot start without: unreachable for too long, or refusing the hub's credentials.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// Before the server starts, waits for a server database (PostgreSQL, SQL Server) and says so at once. Without it the
/// first thing to touch the database was Hangfire's storage, built while the host starts: a minute and more of
/// silence (nothing listening, no /health/live), then a stack trace. Now: one line saying what is awaited (provider,
/// host, database, user — never the password), a warning per failed try, a bounded wait
/// (<c>Database:StartupWaitSeconds</c>) for a server that is not up yet, and at once a clear refusal for what waiting
/// cannot fix (wrong password, unknown database or role).
/// </summary>
public static class DatabaseStartupWait
{
    public static async Task WaitAsync(DatabaseProvider provider, string connectionString, int waitSeconds, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return; // a file next to the hub: nothing to wait for (EnsureSqliteUsableAsync checks it can be opened)
        }

        var target = Describe(provider, connectionString);
        logger.LogInformation("Waiting for the database: {Target} (up to {WaitSeconds} s, Database:StartupWaitSeconds).", target, waitSeconds);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(waitSeconds);
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await OpenAsync(provider, connectionString, cancellationToken);
                logger.LogInformation("Database reachable: {Target}.", target);
                return;
            }
            catch (Exception ex) when (CannotBeFixedByWaiting(ex) is { } reason)
            {
                throw new DatabaseUnavailableException($"The database refused the hub: {reason} ({target}). Check ConnectionStrings:Hub.", ex);
            }
            catch (Exception ex) when (ex is NpgsqlException or SqlException or SocketException or TimeoutException)
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new DatabaseUnavailableException(
                        $"The database could not be reached within {waitSeconds} s ({target}): {ex.Message} (Database:StartupWaitSeconds sets the wait).", ex);
                }

                var wait = delay < left ? delay : left;
                logger.LogWarning("Database not reachable yet (attempt {Attempt}, {Target}): {Error}. Retrying in {Delay:0.#} s.", attempt, target, ex.Message, wait.TotalSeconds);
                await Task.Delay(wait, cancellationToken);
                delay = TimeSpan.FromSeconds(Math.Min(10, delay.TotalSeconds * 2));
            }
        }
    }

    /// <summary>
    /// A SQLite file that cannot be opened (a missing directory, no permission, not a database) is refused in one line
    /// instead of the migration's stack trace. Separate from the wait: opening creates the file, which must not happen
    /// before the settings the pipeline reads are checked.
    /// </summary>
    public static async Task EnsureSqliteUsableAsync(DatabaseProvider provider, string connectionString, CancellationToken cancellationToken = default)
    {
        if (provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA schema_version;"; // reads the header: a file that is not a database fails here
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
            throw new DatabaseUnavailableException(
                $"The SQLite database '{file}' cannot be used: {ex.Message} Check ConnectionStrings:Hub and Hub:DataDirectory.", ex);
        }
    }

    private static async Task OpenAsync(DatabaseProvider provider, string connectionString, CancellationToken cancellationToken)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
        }
        else
        {
            await using var connection = new SqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
        }
    }

    /// <summary>Why the server refused in a way no retry will change, or null for "maybe later".</summary>
    private static string? CannotBeFixedByWaiting(Exception ex) => ex switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => "wrong user name or password",
        PostgresException { SqlState: "3D000" } => "the database does not exist",
        PostgresException { SqlState: "42501" } => "the user may not connect",
        SqlException { Number: 18456 } => "login failed (wrong user name or password)",
        SqlException { Number: 4060 } => "the database does not exist or the user may not open it",
        _ => null,
    };

    /// <summary>Provider, host and database, and the user — never the password.</summary>
    internal static string Describe(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var postgres = new NpgsqlConnectionStringBuilder(connectionString);
            return $"PostgreSQL at {postgres.Host}:{postgres.Port}, database '{postgres.Database}', user '{postgres.Username}'";
        }

        var sql = new SqlConnectionStringBuilder(connectionString);
        return $"SQL Server at {sql.DataSource}, database '{sql.InitialCatalog}', user '{(sql.IntegratedSecurity ? "(integrated)" : sql.UserID)}'";
    }
}
