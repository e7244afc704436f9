using System.Data.Common;
using IntegrationHub.Web.Infrastructure.Data;
using Npgsql;
using Respawn;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// <see cref="LiveHubFixture"/> on PostgreSQL (Hangfire on PostgreSQL too), each fixture on its own throw-away
/// database, so live classes run in parallel with each other and with the shared <see cref="PostgresCollection"/>.
/// </summary>
public class LivePostgresHubFixture : LiveHubFixture
{
    private readonly ThrowawayPostgresDatabase _database = new("integrationhub_live_");

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString => _database.ConnectionString;

    protected override DbConnection OpenConnection() => new NpgsqlConnection(ConnectionString);

    protected override RespawnerOptions RespawnerOptions => ThrowawayPostgresDatabase.RespawnerOptions;

    public override async Task InitializeAsync()
    {
        await _database.CreateAsync();
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
            await _database.DropAsync();
        }
    }
}
