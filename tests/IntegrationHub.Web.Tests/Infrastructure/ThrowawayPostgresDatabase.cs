using IntegrationHub.Drills;
using Npgsql;
using Respawn;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// A database of its own on the test server (<c>HUB_TEST_POSTGRES</c>), created for one fixture and dropped after
/// it, so fixtures with their own settings run in parallel with each other and with the shared
/// <see cref="PostgresCollection"/>.
/// </summary>
public sealed class ThrowawayPostgresDatabase(string prefix)
{
    public string Name { get; } = prefix + Guid.NewGuid().ToString("N")[..10];

    public string ConnectionString =>
        new NpgsqlConnectionStringBuilder(PostgresHubFixture.ServerConnectionString) { Database = Name, Pooling = true }.ConnectionString;

    public static RespawnerOptions RespawnerOptions => new()
    {
        DbAdapter = DbAdapter.Postgres,
        SchemasToInclude = ["public"],
        TablesToIgnore = ["__EFMigrationsHistory"],
    };

    public Task CreateAsync() => OnServerAsync($"CREATE DATABASE \"{Name}\"");

    /// <summary>Called even when stopping the hub failed, so no database is left behind.</summary>
    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await OnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                // FORCE may not end a session of another role — an autovacuum worker on the young database, which the
                // hub role may not signal; it finishes within moments, so the drop is tried again.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    // The drills' server statement: DROP DATABASE waits for an immediate checkpoint, which under a full parallel test
    // run has taken longer than Npgsql's default 30 s; it allows 300.
    private static Task OnServerAsync(string sql) => DrillDatabase.ExecuteOnServerAsync(PostgresHubFixture.ServerConnectionString, sql);
}
