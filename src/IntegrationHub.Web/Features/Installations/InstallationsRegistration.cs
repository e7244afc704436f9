using IntegrationHub.Web.Infrastructure.Jobs;

namespace IntegrationHub.Web.Features.Installations;

public static class InstallationsRegistration
{
    public static WebApplicationBuilder AddHubInstallations(this WebApplicationBuilder builder, bool runJobs)
    {
        builder.Services.AddOptions<InstallationOptions>().BindConfiguration(InstallationOptions.Section);
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
