using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Jobs;

public static class JobsRegistration
{
    public const string DefaultQueue = "default";

    /// <summary>Relay drains only (<see cref="Features.Relay.RelaySender"/>), served by workers of their own.</summary>
    public const string RelayQueue = "relay";

    /// <summary>
    /// Hangfire storage follows the database provider. With SQLite it is in memory: the database, not Hangfire,
    /// says what work exists, so a restart loses no work — only the schedule, which start-up re-creates.
    /// </summary>
    public static WebApplicationBuilder AddHubJobs(this WebApplicationBuilder builder, bool runServer)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // The storage is this host's own instance. Hangfire's AddHangfire would otherwise hand every host the
        // process-wide JobStorage.Current — the last one configured — which is wrong as soon as two hosts share a
        // process (tests, or a host and the CLI).
        builder.Services.AddSingleton<JobStorage>(_ => database.Provider switch
        {
            DatabaseProvider.Postgres => new PostgreSqlStorage(
                new NpgsqlConnectionFactory(
                    DatabaseServiceCollectionExtensions.ResolveConnectionString(builder.Configuration, builder.Environment, database.Provider),
                    PostgresStorageOptions,
                    null),
                PostgresStorageOptions),
            DatabaseProvider.SqlServer => new SqlServerStorage(
                DatabaseServiceCollectionExtensions.ResolveConnectionString(builder.Configuration, builder.Environment, database.Provider),
                new SqlServerStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true }),
            _ => new InMemoryStorage(new InMemoryStorageOptions()),
        });
        builder.Services.AddHangfire((services, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(services.GetRequiredService<ILoggerFactory>()))
            .UseStorage(services.GetRequiredService<JobStorage>()));

        // Checked at start-up: Hangfire refuses a worker count below 1 only when its server is built, as a stack trace.
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.Section)
            .Validate(o => o.WorkerCount >= 1, "Jobs:WorkerCount must be at least 1.")
            .Validate(o => o.RelayWorkerCount >= 1, "Jobs:RelayWorkerCount must be at least 1.")
            .ValidateOnStart();
        if (runServer && builder.Configuration.GetValue("Jobs:RunServer", true))
        {
            builder.Services.AddHangfireServer((services, options) =>
            {
                // This host's own container activates its jobs: Hangfire's default activator is process-wide, so with
                // two hosts in one process (tests) a job could run in the other host's container, or a disposed one.
                options.Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>());
                options.WorkerCount = services.GetRequiredService<IOptions<JobsOptions>>().Value.WorkerCount;
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                options.Queues = [DefaultQueue];
            });

            // Relay drains wait on customers' endpoints (up to Relay:Timeout per row): on the shared workers a tenant
            // with slow endpoints took every worker and stalled hook processing and Crisp deliveries of all others.
            // They run on a queue of their own, served only by this small pool: slow relay delays only relay.
            builder.Services.AddHangfireServer((services, options) =>
            {
                options.Activator = new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>());
                options.WorkerCount = services.GetRequiredService<IOptions<JobsOptions>>().Value.RelayWorkerCount;
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:relay";
                options.Queues = [RelayQueue];
            });
        }

        return builder;
    }

    private static readonly PostgreSqlStorageOptions PostgresStorageOptions = new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
    };

    public static WebApplication MapHubJobsDashboard(this WebApplication app)
    {
        // Hangfire's dashboard is middleware, not an endpoint, so nothing challenges a signed-out visitor: an
        // administrator whose session expired got a bare 401. A page request goes to the sign-in page and back; the
        // dashboard's own background requests (POST) keep the 401.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/hangfire") && HttpMethods.IsGet(context.Request.Method)
                && context.User.Identity?.IsAuthenticated != true,
            signedOut => signedOut.Run(context => context.ChallengeAsync()));
        app.UseHangfireDashboard("/hangfire", storage: app.Services.GetRequiredService<JobStorage>(), options: new DashboardOptions
        {
            Authorization = [new HubAdministratorDashboardFilter()],
            DisplayStorageConnectionString = false,
            AppPath = "/",
        });
        return app;
    }

    /// <summary>Hangfire answers 401 to anonymous callers (their page requests are sent to sign in first) and 403 to signed-in non-administrators.</summary>
    private sealed class HubAdministratorDashboardFilter : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.IsInRole(HubRoles.Administrator);
    }
}
