using System.Data.Common;
using IntegrationHub.Web.Infrastructure.Data;
using Npgsql;
using Respawn;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL hub fixture on its own throw-away database (created on the <c>HUB_TEST_POSTGRES</c> server, dropped
/// afterwards), for classes that need their own <see cref="HubFixtureBase.Settings"/>: unlike the shared
/// <see cref="PostgresHubFixture"/>, it runs in parallel with the <see cref="PostgresCollection"/> without touching it.
/// </summary>
public abstract class OwnPostgresHubFixture : HubFixtureBase
{
    private readonly string _database = "integrationhub_own_" + Guid.NewGuid().ToString("N")[..10];

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(PostgresHubFixture.ServerConnectionString) { Database = _database }.ConnectionString;

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
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresHubFixture.ServerConnectionString);
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)";
            await drop.ExecuteNonQueryAsync();
        }
    }
}
