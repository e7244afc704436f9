using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;

namespace IntegrationHub.Web.Infrastructure.Jobs;

public static class JobsRegistration
{
    /// <summary>
    /// Hangfire storage follows the database provider. With SQLite it is in memory: the database, not Hangfire,
    /// says what work exists, so a restart loses no work — only the schedule, which start-up re-creates.
    /// </summary>
    public static WebApplicationBuilder AddHubJobs(this WebApplicationBuilder builder, bool runServer)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddHangfire((services, config) =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();

            switch (database.Provider)
            {
                case DatabaseProvider.Postgres:
                    var pg = DatabaseServiceCollectionExtensions.ResolveConnectionString(builder.Configuration, builder.Environment, database.Provider);
                    config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(pg), new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true });
                    break;
                case DatabaseProvider.SqlServer:
                    var sql = DatabaseServiceCollectionExtensions.ResolveConnectionString(builder.Configuration, builder.Environment, database.Provider);
                    config.UseSqlServerStorage(sql, new Hangfire.SqlServer.SqlServerStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true });
                    break;
                default:
                    config.UseInMemoryStorage();
                    break;
            }
        });

        if (runServer && builder.Configuration.GetValue("Jobs:RunServer", true))
        {
            builder.Services.AddHangfireServer(options =>
            {
                options.WorkerCount = builder.Configuration.GetValue("Jobs:WorkerCount", Math.Max(4, Environment.ProcessorCount * 2));
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        return builder;
    }

    public static WebApplication MapHubJobsDashboard(this WebApplication app)
    {
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new HubAdministratorDashboardFilter()],
            DisplayStorageConnectionString = false,
            AppPath = "/",
        });
        return app;
    }

    /// <summary>Hangfire answers 401 to anonymous callers and 403 to signed-in non-administrators.</summary>
    private sealed class HubAdministratorDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.IsInRole(HubRoles.Administrator);
    }
}
