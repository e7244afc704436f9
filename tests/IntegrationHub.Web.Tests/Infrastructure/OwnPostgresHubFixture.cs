using System.Data.Common;
using IntegrationHub.Web.Infrastructure.Data;
using Npgsql;
using Respawn;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL hub fixture on its own throw-away database, for classes that need their own
/// <see cref="HubFixtureBase.Settings"/>: unlike the shared <see cref="PostgresHubFixture"/>, it runs in parallel with
/// the <see cref="PostgresCollection"/> without touching it.
/// </summary>
public abstract class OwnPostgresHubFixture : HubFixtureBase
{
    private readonly ThrowawayPostgresDatabase _database = new("integrationhub_own_");

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
