using IntegrationHub.Web.Infrastructure.Hosting;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace IntegrationHub.Web.Infrastructure.Data;

public static class DatabaseServiceCollectionExtensions
{
    public const string ConnectionStringName = "Hub";

    public static WebApplicationBuilder AddHubDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<TenantContext>();

        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(builder.Configuration, builder.Environment, options.Provider);

        // The options are the same for every context: build them once (Singleton) instead of once per request scope,
        // which showed up as ~5 % of the ingest path's CPU (warnings configuration and extension hashing per request).
        const ServiceLifetime optionsLifetime = ServiceLifetime.Singleton;
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                // EF's own SQLite table rebuilds switch foreign keys off around their transaction (SQLite ignores that
                // PRAGMA inside one), and EF then warns about its own statement — on every new database, advising the
                // operator to "create a separate migration". The hub's migrations hold no statement of their own outside
                // a transaction, so the warning says nothing an operator can act on: it is kept at Debug.
                builder.Services.AddDbContext<HubDbContext, SqliteHubDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionTuning())
                        .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug))),
                    optionsLifetime: optionsLifetime);
                builder.Services.AddHostedService(services => new SqliteWalCheckpointer(connectionString, services.GetRequiredService<ILogger<SqliteWalCheckpointer>>()));
                break;
            case DatabaseProvider.Postgres:
                builder.Services.AddDbContext<HubDbContext, PostgresHubDbContext>(o => o.UseNpgsql(connectionString), optionsLifetime: optionsLifetime);
                break;
            case DatabaseProvider.SqlServer:
                builder.Services.AddDbContext<HubDbContext, SqlServerHubDbContext>(o =>
                    o.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure()), optionsLifetime: optionsLifetime);
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }

        return builder;
    }

    public static string ResolveConnectionString(IConfiguration configuration, IHostEnvironment environment, DatabaseProvider provider)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            RefuseUnparsable(configured, provider);
            return provider == DatabaseProvider.Postgres
                ? BoundPostgresTimeouts(configured, configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions())
                : configured;
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                [$"Database:Provider is {provider} but ConnectionStrings:{ConnectionStringName} is not set."]);
        }

        var directory = DataDirectory.Resolve(configuration, environment);
        return $"Data Source={Path.Combine(directory, "hub.db")}";
    }

    /// <summary>
    /// A connection string the provider cannot parse (a misspelt keyword, no <c>key=value</c> at all) stops start-up
    /// naming the key; it used to crash the process with the builder's stack trace. The parser's message names the
    /// keyword, never a value, so no password reaches the log.
    /// </summary>
    private static void RefuseUnparsable(string connectionString, DatabaseProvider provider)
    {
        try
        {
            _ = provider switch
            {
                DatabaseProvider.Postgres => new Npgsql.NpgsqlConnectionStringBuilder(connectionString),
                DatabaseProvider.SqlServer => new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(connectionString),
                _ => (System.Data.Common.DbConnectionStringBuilder)new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                [$"ConnectionStrings:{ConnectionStringName} is not a valid {provider} connection string: {ex.Message}"]);
        }
    }

    /// <summary>
    /// Adds <c>Timeout</c> and <c>Command Timeout</c> from <see cref="DatabaseOptions"/> unless the connection string
    /// sets them itself (an explicit value wins), so an unreachable database fails fast instead of hanging requests.
    /// Deliberately not added: Npgsql's automatic preparation. It saved PostgreSQL some parsing, but a prepared
    /// statement's generic plan, made while a table is small, sticks (the ingest writer's duplicate lookup, prepared on
    /// an empty product_events, kept scanning every event of the tenant per id: ~150 ms per commit, single events
    /// down to ~2,000/s), and forcing custom plans instead re-plans every foreign-key check of a COPY (batch ingest
    /// fell by a third). Unprepared statements are planned for their values every time.
    /// </summary>
    internal static string BoundPostgresTimeouts(string connectionString, DatabaseOptions options)
    {
        // The generic builder holds only the keys actually written; Npgsql's would report every keyword as present.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var bounded = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Timeout"))
        {
            bounded.Timeout = options.ConnectTimeoutSeconds;
        }

        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            bounded.CommandTimeout = options.CommandTimeoutSeconds;
        }

        return bounded.ConnectionString;
    }
}
