using System.Data.Common;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using Respawn;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>One hub on one real database, reset to empty (schema kept) before each test with Respawn.</summary>
public interface IHubFixture
{
    HubApplicationFactory Factory { get; }

    Task ResetAsync();
}

public abstract class HubFixtureBase : IHubFixture, IAsyncLifetime
{
    private Respawner? _respawner;

    public HubApplicationFactory Factory { get; private set; } = null!;

    protected string DataDirectory { get; } = Directory.CreateTempSubdirectory("hub-tests-").FullName;

    protected abstract DatabaseProvider Provider { get; }

    protected abstract string ConnectionString { get; }

    protected abstract DbConnection OpenConnection();

    protected abstract RespawnerOptions RespawnerOptions { get; }

    /// <summary>Configuration a fixture adds to the hub's (e.g. tight rate limits).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>Service replacements a fixture makes (e.g. a failing collaborator).</summary>
    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services => null;

    public virtual async Task InitializeAsync()
    {
        Factory = new HubApplicationFactory(Provider, ConnectionString, DataDirectory, Settings, services: Services);
        _ = Factory.Server; // starts the host: migrations run at start-up
        await using var connection = OpenConnection();
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, RespawnerOptions);
    }

    public async Task ResetAsync()
    {
        await using var connection = OpenConnection();
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled SQLite handle may still be closing; the temp folder is harmless.
        }
    }
}

public class SqliteHubFixture : HubFixtureBase
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={Path.Combine(DataDirectory, "hub.db")}";

    protected override DbConnection OpenConnection() => new SqliteConnection(ConnectionString);

    protected override RespawnerOptions RespawnerOptions => new()
    {
        DbAdapter = DbAdapter.Sqlite,
        TablesToIgnore = ["__EFMigrationsHistory"],
    };
}

/// <summary>
/// The PostgreSQL the test script starts (HUB_TEST_POSTGRES). Every PostgreSQL test class shares this fixture
/// through one collection, so they run one after another against one database.
/// </summary>
public sealed class PostgresHubFixture : HubFixtureBase
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=hub;Password=hub;Database=integrationhub_test";

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("HUB_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultConnectionString;

    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override string ConnectionString => ServerConnectionString;

    protected override DbConnection OpenConnection() => new NpgsqlConnection(ConnectionString);

    protected override RespawnerOptions RespawnerOptions => new()
    {
        DbAdapter = DbAdapter.Postgres,
        SchemasToInclude = ["public"],
        TablesToIgnore = ["__EFMigrationsHistory"],
    };

    public override async Task InitializeAsync()
    {
        // A clean schema per run: the migrations, not leftovers of an earlier run, must create every table.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP SCHEMA IF EXISTS public CASCADE; DROP SCHEMA IF EXISTS hangfire CASCADE; CREATE SCHEMA public;";
            await drop.ExecuteNonQueryAsync();
        }

        await base.InitializeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresHubFixture>
{
    public const string Name = "PostgreSQL";
}
