using IntegrationHub.Web.Infrastructure.Jobs;

namespace IntegrationHub.Web.Features.Installations;

public static class InstallationsRegistration
{
    public static WebApplicationBuilder AddHubInstallations(this WebApplicationBuilder builder, bool runJobs)
    {
        // Checked at start-up: a negative retention puts the purge's cutoff in the future, so the next daily purge
        // would delete every uninstalled website at once; zero would leave no time to reinstall.
        builder.Services.AddOptions<InstallationOptions>().BindConfiguration(InstallationOptions.Section)
            .Validate(o => o.Retention > TimeSpan.Zero, "Installations:Retention must be positive (for example 30.00:00:00).")
            .Validate(o => CronSchedule.IsValid(o.FullSyncCron), "Installations:FullSyncCron must be a cron expression of 5 or 6 fields (for example 0 * * * *).")
            .Validate(o => CronSchedule.IsValid(o.CatchUpCron), "Installations:CatchUpCron must be a cron expression of 5 or 6 fields (for example */5 * * * *).")
            .ValidateOnStart();
        builder.Services.AddSingleton<InstallationLifecycle>();
        builder.Services.AddScoped<InstallationSync>();
        builder.Services.AddScoped<TenantRetention>();
        if (runJobs && builder.Configuration.GetValue("Jobs:RunServer", true))
        {
            builder.Services.AddHostedService<RecurringJobsScheduler>();
        }

        return builder;
    }
}
