using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Hosting;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace IntegrationHub.Web.Tests.Foundation;

/// <summary>
/// A server database is migrated by the operator (<c>migrate</c> or db/ scripts), so start-up checks that it was: an
/// empty database stopped with a stack trace from the first query, and one a migration behind served 500s on
/// whatever touched the new tables.
/// </summary>
public sealed class UnmigratedDatabaseStartupTests
{
    private static PostgresHubDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql(connectionString).Options, new TenantContext());

    [Fact]
    public async Task Postgres_SchemaOneMigrationBehind_IsRefusedNamingTheMigrationUntilMigrated()
    {
        var database = new ThrowawayPostgresDatabase("hub_schema_");
        await database.CreateAsync();
        try
        {
            await using var db = Context(database.ConnectionString);
            var migrations = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(migrations[^2]);

            var error = await Assert.ThrowsAsync<DatabaseNotMigratedException>(() => DatabaseInitializer.EnsureMigratedAsync(db, CancellationToken.None));

            Assert.Contains($"lacks 1 of this hub's migrations ({migrations[^1]})", error.Message, StringComparison.Ordinal);
            Assert.Contains("migrate verb", error.Message, StringComparison.Ordinal);
            Assert.Contains("db/postgres/migrations.sql", error.Message, StringComparison.Ordinal);
            Assert.Equal([error.Message], StartupRefusal.Messages(error));

            await db.Database.MigrateAsync();
            await DatabaseInitializer.EnsureMigratedAsync(db, CancellationToken.None);
        }
        finally
        {
            await database.DropAsync();
        }
    }

    [Fact]
    public async Task HubProcess_EmptyPostgresDatabase_ExitsWithOneLineSayingToMigrate()
    {
        var database = new ThrowawayPostgresDatabase("hub_schema_");
        await database.CreateAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("hub-schema-").FullName;
        try
        {
            var start = HubProcessRun.StartInfo();
            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["ConnectionStrings__Hub"] = database.ConnectionString;
            start.Environment["Hub__DataDirectory"] = dataDirectory;
            var (exitCode, text) = await HubProcessRun.RunToExitAsync(start, "The hub did not stop on an empty database within 40 s.");

            Assert.Equal(1, exitCode);
            Assert.Contains("The database lacks", text, StringComparison.Ordinal);
            Assert.Contains("run the migrate verb with the same settings or apply db/postgres/migrations.sql", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
            // Finding the database empty is not an error, and a refused start leaves the database as it found it:
            // Hangfire's storage created its schema in it before the check refused it.
            Assert.DoesNotContain("Failed executing DbCommand", text, StringComparison.Ordinal);
            Assert.Equal(0, await SchemaObjectsAsync(database));
        }
        finally
        {
            await database.DropAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task MigrateVerb_EmptyPostgresDatabase_LogsNoErrorAndMigrates()
    {
        var database = new ThrowawayPostgresDatabase("hub_schema_");
        await database.CreateAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("hub-schema-").FullName;
        try
        {
            var start = HubProcessRun.StartInfo();
            start.ArgumentList.Add("migrate");
            start.Environment["Database__Provider"] = "Postgres";
            start.Environment["ConnectionStrings__Hub"] = database.ConnectionString;
            start.Environment["Hub__DataDirectory"] = dataDirectory;
            var (exitCode, text) = await HubProcessRun.RunToExitAsync(start, "migrate did not finish on an empty database within 40 s.");

            Assert.Equal(0, exitCode);
            Assert.Contains("Database is up to date", text, StringComparison.Ordinal);
            // Npgsql reads the missing history table and takes the failure for "nothing applied"; EF logged that
            // failure as an error line, which an operator migrating a new database reads as the migration failing.
            Assert.DoesNotContain("Failed executing DbCommand", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"LogLevel\":\"Error\"", text, StringComparison.Ordinal);
            await using var db = Context(database.ConnectionString);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            await database.DropAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>Tables and schemas the database holds beyond an empty one's.</summary>
    private static async Task<long> SchemaObjectsAsync(ThrowawayPostgresDatabase database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('public', 'information_schema'))"
            + " + (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
