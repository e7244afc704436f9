using IntegrationHub.Web.Infrastructure.Hosting;
using IntegrationHub.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

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
                builder.Services.AddDbContext<HubDbContext, SqliteHubDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionTuning()),
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
            return provider == DatabaseProvider.Postgres
                ? WithPostgresDefaults(configured, configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions())
                : configured;
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException(
                $"Database:Provider is {provider} but ConnectionStrings:{ConnectionStringName} is not set.");
        }

        var directory = DataDirectory.Resolve(configuration, environment);
        return $"Data Source={Path.Combine(directory, "hub.db")}";
    }

    /// <summary>
    /// Adds <c>Timeout</c> and <c>Command Timeout</c> from <see cref="DatabaseOptions"/>, so an unreachable database
    /// fails fast instead of hanging requests, and Npgsql's automatic preparation (<c>Max Auto Prepare</c> 32,
    /// <c>Auto Prepare Min Usages</c> 2): the hub sends the same few statements over and over (the ingest commit's
    /// lookup and inserts, the delivery engine's claims), and parsing them anew was the largest part of PostgreSQL's
    /// CPU under event load — with <c>plan_cache_mode=force_custom_plan</c> in <c>Options</c>, so that a prepared
    /// statement is still planned for its values and the current statistics. Whatever the connection string sets
    /// itself wins.
    /// </summary>
    internal const string CustomPlansOption = "-c plan_cache_mode=force_custom_plan";

    internal static string WithPostgresDefaults(string connectionString, DatabaseOptions options)
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

        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            bounded.MaxAutoPrepare = 32;
        }

        if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages"))
        {
            bounded.AutoPrepareMinUsages = 2;
        }

        // A prepared statement's generic plan, made once while a table is small, sticks: the ingest writer's duplicate
        // lookup, prepared on an empty product_events, kept scanning every event of the tenant per id (~150 ms a commit
        // at 60,000 rows, single events down to ~2,000/s). Custom plans are planned with the real values and current
        // statistics on every execution; preparation still saves the parsing.
        if (bounded.Options?.Contains("plan_cache_mode", StringComparison.Ordinal) != true)
        {
            bounded.Options = string.IsNullOrWhiteSpace(bounded.Options) ? CustomPlansOption : $"{bounded.Options} {CustomPlansOption}";
        }

        return bounded.ConnectionString;
    }
}
