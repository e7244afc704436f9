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

    public bool ShouldMigrateOnStartup => MigrateOnStartup ?? Provider == DatabaseProvider.Sqlite;
}
