using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Web.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
    SqlServer,
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Apply pending migrations when the server starts. Defaults to on for the embedded SQLite database and off for
    /// server databases, whose schema an operator changes with the <c>migrate</c> verb or the scripts in db/.
    /// </summary>
    public bool? MigrateOnStartup { get; set; }

    /// <summary>
    /// PostgreSQL only, when the connection string does not say: how long opening a connection may take (Npgsql
    /// <c>Timeout</c>, default 15 s there) and how long a command may run (<c>Command Timeout</c>). Bounded so that a
    /// database outage answers 503 within seconds instead of holding requests.
    /// </summary>
    [Range(1, 3600)]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>How long start-up waits for a server database that is not reachable yet (0: one try).</summary>
    [Range(0, 3600)]
    public int StartupWaitSeconds { get; set; } = 60;

    public bool ShouldMigrateOnStartup => MigrateOnStartup ?? Provider == DatabaseProvider.Sqlite;
}
