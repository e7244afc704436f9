using IntegrationHub.Web.Infrastructure.Security;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Features.Health;
using IntegrationHub.Web.Features.HookReactions;
using IntegrationHub.Web.Features.Hooks;
using IntegrationHub.Web.Features.Installations;
using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Crisp;
using IntegrationHub.Web.Infrastructure.Api;
using IntegrationHub.Web.Infrastructure.Data;
using IntegrationHub.Web.Infrastructure.Jobs;
using IntegrationHub.Web.Infrastructure.Tenancy;
using IntegrationHub.Web.Infrastructure.Web;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Infrastructure.Hosting;

public static class HubPipeline
{
    public static WebApplication UseHubPipeline(this WebApplication app)
    {
        app.UseHubForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = context =>
            {
                if (context.Context.Request.Path.StartsWithSegments("/kit"))
                {
                    // Customer sites load the kit cross-origin (an ES module needs CORS); versioned copies never change.
                    context.Context.Response.Headers.AccessControlAllowOrigin = "*";
                    context.Context.Response.Headers.CacheControl = context.Context.Request.Path.Value!.Count(c => c == '/') > 2
                        ? "public, max-age=31536000, immutable"
                        : "public, max-age=300";
                }
            },
        });
        // A backend may compress big batches (gzip, br, deflate); the reader's size cap applies to the decompressed body.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseApiHeadAsGet().UseRequestDecompression());
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<DashboardTenantResolver>();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapHubHealthChecks();
        app.MapHookIntake();
        app.MapWebsiteHookIntake();
        app.MapHubCrisp();
        app.MapHubApi();
        app.MapHubJobsDashboard();
        app.MapControllers();
        return app;
    }

    /// <summary>
    /// Waits for a server database before the pipeline is built: building it makes Hangfire's storage, which connects
    /// at once and, against a wrong password or a server that is down, retried silently for half a minute before the
    /// hub said a word.
    /// </summary>
    public static Task WaitForDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var database = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        return DatabaseStartupWait.WaitAsync(
            database.Provider,
            DatabaseServiceCollectionExtensions.ResolveConnectionString(app.Configuration, app.Environment, database.Provider),
            database.StartupWaitSeconds,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartupWait).FullName!),
            cancellationToken);
    }

    /// <summary>Start-up work before the server listens: embedded-database migrations and the bootstrap administrator.</summary>
    public static async Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await DatabaseStartupWait.EnsureSqliteUsableAsync(
            database.Provider,
            DatabaseServiceCollectionExtensions.ResolveConnectionString(app.Configuration, app.Environment, database.Provider),
            cancellationToken);
        if (database.ShouldMigrateOnStartup)
        {
            await DatabaseInitializer.MigrateAsync(scope.ServiceProvider.GetRequiredService<HubDbContext>(), cancellationToken);
        }
        else
        {
            await DatabaseInitializer.EnsureMigratedAsync(scope.ServiceProvider.GetRequiredService<HubDbContext>(), cancellationToken);
        }

        await LocalKeyRingGuard.EnsureAsync(scope.ServiceProvider.GetRequiredService<IntegrationHub.Security.IKeyEncryptionKeyProvider>(),
            scope.ServiceProvider.GetRequiredService<HubDbContext>(), cancellationToken);
        await DemoModeGuard.EnsureAsync(scope.ServiceProvider.GetRequiredService<HubCrispMode>(),
            scope.ServiceProvider.GetRequiredService<HubDbContext>(), cancellationToken);
        await DemoOwnerRetirement.EnsureAsync(scope.ServiceProvider.GetRequiredService<HubCrispMode>(), scope.ServiceProvider, app.Logger, cancellationToken);
        if (scope.ServiceProvider.GetRequiredService<HookSecretSource>().ConfigurationProblem() is { } hookSecretProblem)
        {
            app.Logger.LogWarning("{Problem}", hookSecretProblem);
        }

        var bootstrap = scope.ServiceProvider.GetRequiredService<IOptions<HubOptions>>().Value.Bootstrap;
        if (!string.IsNullOrWhiteSpace(bootstrap.AdminEmail) && !string.IsNullOrWhiteSpace(bootstrap.AdminPassword))
        {
            var result = await scope.ServiceProvider.GetRequiredService<HubAdministratorBootstrapper>()
                .EnsureAdministratorAsync(bootstrap.AdminEmail, bootstrap.AdminPassword);
            if (!result.Succeeded)
            {
                throw new OptionsValidationException(HubOptions.Section, typeof(HubOptions),
                    ["Hub:Bootstrap administrator could not be created: " + string.Join(" ", result.Errors.Select(e => e.Description))]);
            }
        }
    }
}
