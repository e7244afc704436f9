using System.Data.Common;
using IntegrationHub.Web.Infrastructure.Data;
using Npgsql;
using Respawn;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// <see cref="LiveHubFixture"/> on PostgreSQL (Hangfire on PostgreSQL too). Each fixture gets its own database,
/// created on the test server (<c>HUB_TEST_POSTGRES</c>) and dropped afterwards, so live classes run in parallel with
/// each other and with the shared <see cref="PostgresCollection"/>.
/// </summary>
public class LivePostgresHubFixture : LiveHubFixture
{
    private readonly string _database = "integrationhub_live_" + Guid.NewGuid().ToString("N")[..10];

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(PostgresHubFixture.ServerConnectionString) { Database = _database, Pooling = true }.ConnectionString;

    protected override DbConnection OpenConnection() => new NpgsqlConnection(ConnectionString);

    protected override RespawnerOptions RespawnerOptions => new()
    {
        DbAdapter = DbAdapter.Postgres,
        SchemasToInclude = ["public"],
        TablesToIgnore = ["__EFMigrationsHistory"],
    };

    public override async Task InitializeAsync()
    {
        await using (var connection = new NpgsqlConnection(PostgresHubFixture.ServerConnectionString))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{_database}\"";
            await create.ExecuteNonQueryAsync();
        }

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            // Dropped even when stopping the hub failed, so no database is left behind.
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresHubFixture.ServerConnectionString);
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)";
            await drop.ExecuteNonQueryAsync();
        }
    }
}
